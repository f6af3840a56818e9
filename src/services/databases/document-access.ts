import type { StoredDocument } from '../../data/documents/document-store.js';
import type { StoredCollection } from '../../data/documents/schema-store.js';
import { apiError, type ApiNames } from './api-names.js';
import type { Caller } from '../../core/caller.js';
import { grants, type PermissionType } from '../../core/permissions.js';
import { AppError } from '../../core/errors.js';

/** Whether the collection's own permissions let the caller do this; keys always may. */
export function collectionAllows(caller: Caller, collection: StoredCollection, type: PermissionType): boolean {
  return caller.actsForProject || grants(JSON.parse(collection.permissions) as string[], type, caller.roles);
}

/** Collection permission, or (with document security on) the document's own. */
export function documentAllows(caller: Caller, collection: StoredCollection, document: StoredDocument, type: PermissionType): boolean {
  if (collectionAllows(caller, collection, type)) return true;
  return collection.document_security === 1 && grants(JSON.parse(document._permissions) as string[], type, caller.roles);
}

/** A document the caller may not read does not exist for them. */
export function assertReadable(api: ApiNames, caller: Caller, collection: StoredCollection, document: StoredDocument | undefined, id: string): StoredDocument {
  if (!document || !documentAllows(caller, collection, document, 'read')) throw apiError(api, 'document_not_found', { params: [id] });
  return document;
}

export function assertWritable(caller: Caller, collection: StoredCollection, document: StoredDocument, type: 'update' | 'delete'): void {
  if (!documentAllows(caller, collection, document, type)) throw new AppError('user_unauthorized');
}
