import type { ApiNames } from './api-names.js';

type Scope = { scope: string | readonly string[] };

export interface ApiRouteScopes {
  containerRead: Scope;
  containerWrite: Scope;
  fieldRead: Scope;
  fieldWrite: Scope;
  indexRead: Scope;
  indexWrite: Scope;
  itemRead: Scope;
  itemWrite: Scope;
  transactionRead: Scope;
  transactionWrite: Scope;
}

/**
 * The scopes each route of one API's vocabulary accepts, any one of a list sufficing. The
 * legacy API takes only its old names; TablesDB takes its own names and the old ones too, so a
 * key made for collections keeps working on tables. Reading legacy transactions asks for
 * `rows.read`, as Appwrite 1.9.6 declares it.
 */
export function apiRouteScopes(api: ApiNames): ApiRouteScopes {
  if (api.kind === 'legacy') {
    return {
      containerRead: { scope: 'collections.read' },
      containerWrite: { scope: 'collections.write' },
      fieldRead: { scope: 'collections.read' },
      fieldWrite: { scope: 'collections.write' },
      indexRead: { scope: 'collections.read' },
      indexWrite: { scope: 'collections.write' },
      itemRead: { scope: 'documents.read' },
      itemWrite: { scope: 'documents.write' },
      transactionRead: { scope: 'rows.read' },
      transactionWrite: { scope: 'documents.write' },
    };
  }
  return {
    containerRead: { scope: ['tables.read', 'collections.read'] },
    containerWrite: { scope: ['tables.write', 'collections.write'] },
    fieldRead: { scope: ['tables.read', 'collections.read', 'columns.read', 'attributes.read'] },
    fieldWrite: { scope: ['tables.write', 'collections.write', 'columns.write', 'attributes.write'] },
    indexRead: { scope: ['tables.read', 'collections.read', 'indexes.read'] },
    indexWrite: { scope: ['tables.write', 'collections.write', 'indexes.write'] },
    itemRead: { scope: ['rows.read', 'documents.read'] },
    itemWrite: { scope: ['rows.write', 'documents.write'] },
    transactionRead: { scope: ['documents.read', 'rows.read'] },
    transactionWrite: { scope: ['documents.write', 'rows.write'] },
  };
}
