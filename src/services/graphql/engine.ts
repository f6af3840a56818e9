// Everything that needs the graphql package, loaded by the routes on the first GraphQL request:
// a server that is never asked a GraphQL query never loads it, nor the catalogue of operations.
export { callerHeaders, callRoute } from './dispatch.js';
export { runBatch } from './execute.js';
export { buildGraphqlSchema } from './schema.js';
