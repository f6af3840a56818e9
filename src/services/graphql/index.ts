export { graphqlRoutes } from './routes.js';
export { DEFAULT_GRAPHQL_SETTINGS, type GraphqlSettings } from './settings.js';
