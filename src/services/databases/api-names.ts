import { AppError, type ErrorType } from '../../core/errors.js';

/**
 * The two names of one storage. Databases says collection/document/attribute, TablesDB
 * says table/row/column; routes, models, errors and events follow the API called.
 */
export interface ApiNames {
  kind: 'legacy' | 'tablesdb';
  /** Path prefix under /v1. */
  prefix: '/databases' | '/tablesdb';
  containers: 'collections' | 'tables';
  containerParam: 'collectionId' | 'tableId';
  items: 'documents' | 'rows';
  itemParam: 'documentId' | 'rowId';
  fields: 'attributes' | 'columns';
  security: 'documentSecurity' | 'rowSecurity';
  containerKey: '$collectionId' | '$tableId';
}

export const LEGACY_API: ApiNames = {
  kind: 'legacy',
  prefix: '/databases',
  containers: 'collections',
  containerParam: 'collectionId',
  items: 'documents',
  itemParam: 'documentId',
  fields: 'attributes',
  security: 'documentSecurity',
  containerKey: '$collectionId',
};

export const TABLES_API: ApiNames = {
  kind: 'tablesdb',
  prefix: '/tablesdb',
  containers: 'tables',
  containerParam: 'tableId',
  items: 'rows',
  itemParam: 'rowId',
  fields: 'columns',
  security: 'rowSecurity',
  containerKey: '$tableId',
};

const TABLES_ERRORS: Readonly<Record<string, string>> = {
  collection_: 'table_',
  document_: 'row_',
  attribute_: 'column_',
  index_: 'column_index_',
};

/** The catalogue error in the API's vocabulary: document_not_found becomes row_not_found for TablesDB. */
export function apiError(api: ApiNames, type: string, detail: { message?: string; params?: string[] } = {}): AppError {
  let name = type;
  if (api.kind === 'tablesdb') {
    const prefix = Object.keys(TABLES_ERRORS).find((p) => type.startsWith(p));
    if (prefix) name = TABLES_ERRORS[prefix] + type.slice(prefix.length);
  }
  return new AppError(name as ErrorType, detail.message, detail.params ? { params: detail.params } : {});
}
