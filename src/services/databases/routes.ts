import type { FastifyPluginAsync } from 'fastify';
import type { ServiceDeps } from '../deps.js';
import { LEGACY_API, TABLES_API } from './api-names.js';
import { registerDocumentRoutes } from './document-routes.js';
import { registerSchemaRoutes } from './schema-routes.js';

/** The `databases` and `tablesDB` services: two vocabularies over one storage. */
export function databasesRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    for (const api of [LEGACY_API, TABLES_API]) {
      registerSchemaRoutes(app, deps, api);
      registerDocumentRoutes(app, deps, api);
    }
  };
}
