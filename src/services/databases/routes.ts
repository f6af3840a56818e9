import type { RoutePlugin } from '../../http/typed-routes.js';
import type { ServiceDeps } from '../deps.js';
import { LEGACY_API, TABLES_API } from './api-names.js';
import { registerDocumentRoutes } from './document-routes.js';
import { registerRelationshipRoutes } from './relationship-routes.js';
import { registerSchemaRoutes } from './schema-routes.js';
import { registerTransactionRoutes } from './transactions-routes.js';

/** The `databases` and `tablesDB` services: two vocabularies over one storage. */
export function databasesRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    for (const api of [LEGACY_API, TABLES_API]) {
      registerSchemaRoutes(app, deps, api);
      registerRelationshipRoutes(app, deps, api);
      registerDocumentRoutes(app, deps, api);
      registerTransactionRoutes(app, deps, api);
    }
  };
}
