/** The databases service's door for other layers. */
export { DATABASES_QUEUE, runSchemaJob, type SchemaJob } from './schema-jobs.js';
export { databasesRoutes } from './routes.js';
export { databasesAliases } from './aliases.js';
