import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import { findDocument } from '../../data/documents/document-store.js';
import { apiError } from './api-names.js';
import { chosenId } from './databases.js';
import { collectionAllows, documentAllows } from './document-access.js';
import { columnsFromData } from './document-data.js';
import { assertGrantable, DOCUMENT_PERMISSION_TYPES, normalisePermissions } from '../../core/permissions.js';
import { collectionOf, type RelationScope } from './relationship-context.js';
import { availableRelationships, sideOf } from './relationship-sides.js';
import { takeRelationships, type RelationWrite } from './relationship-writes.js';
import type { CollectionContext } from './schema-context.js';

/**
 * Checks relationship values as far as the stored state allows, writing nothing (a staged
 * write is applied only at commit). An id must name a document the caller can read, or one
 * the transaction creates first (`staged`, keyed `databaseId/collectionId/id`); a nested
 * document must fit its collection and the caller's permissions. The nested documents it
 * would create join `staged`, so later operations may name them.
 */
export async function checkRelationWrites(db: Kysely<any>, scope: RelationScope, writes: readonly RelationWrite[], staged: Set<string>): Promise<void> {
  for (const write of writes) {
    const other = await collectionOf(scope, write.side.otherSeq);
    for (const item of write.items) await checkItem(db, scope, other, item, staged);
  }
}

async function checkItem(db: Kysely<any>, scope: RelationScope, other: CollectionContext, item: string | Record<string, unknown>, staged: Set<string>): Promise<void> {
  const { api, caller } = scope;
  const key = (id: string) => `${scope.database.id}/${other.collection.id}/${id}`;
  const missing = (id: string) => apiError(api, 'relationship_value_invalid', { message: `Related document "${id}" could not be found in "${other.collection.id}".` });
  if (typeof item === 'string') {
    const found = await findDocument(db, other.collection.seq, item);
    if (found ? !documentAllows(caller, other.collection, found, 'read') : !staged.has(key(item))) throw missing(item);
    return;
  }
  const rawId = item.$id;
  if (rawId !== undefined && typeof rawId !== 'string') throw apiError(api, 'relationship_value_invalid', { message: 'A related document\'s $id must be a string.' });
  const id = chosenId(rawId ?? 'unique()', api.itemParam);
  const rawPermissions = item.$permissions;
  if (rawPermissions != null && (!Array.isArray(rawPermissions) || rawPermissions.some((p) => typeof p !== 'string'))) {
    throw new AppError('general_argument_invalid', 'Invalid `permissions` param: must be an array of strings');
  }
  if (rawPermissions != null) assertGrantable(caller, normalisePermissions(rawPermissions as string[], DOCUMENT_PERMISSION_TYPES));
  const { data, writes } = takeRelationships(scope, other, item);
  const found = await findDocument(db, other.collection.seq, id);
  // One the caller may not read is absent for them: the object asks to create it, which its taken id refuses.
  const readable = found !== undefined && documentAllows(caller, other.collection, found, 'read');
  if (readable || (!found && staged.has(key(id)))) {
    // Whether the link or the values change, and so need update permission, is settled at commit.
    columnsFromData(api, other.attributes, data, 'update');
  } else {
    if (!collectionAllows(caller, other.collection, 'create')) throw new AppError('user_unauthorized');
    if (found) throw apiError(api, 'document_already_exists', { params: [id] });
    columnsFromData(api, other.attributes, data, 'create');
    // An id left to the server is chosen again at commit; only a chosen one can be named later.
    if (rawId !== undefined && rawId !== 'unique()') staged.add(key(id));
  }
  await checkRelationWrites(db, scope, writes, staged);
}

/**
 * Adds the nested documents with chosen ids that written data carries (at any depth) to
 * `staged`, keyed `databaseId/collectionId/id`: what an earlier staged write will create.
 */
export async function addNestedIds(scope: RelationScope, context: CollectionContext, data: Readonly<Record<string, unknown>>, staged: Set<string>): Promise<void> {
  for (const attribute of availableRelationships(context.attributes)) {
    const value = data[attribute.key];
    const items = Array.isArray(value) ? value : [value];
    const other = await collectionOf(scope, sideOf(attribute).otherSeq);
    for (const item of items) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
      const id = (item as Record<string, unknown>).$id;
      if (typeof id === 'string' && id !== 'unique()') staged.add(`${scope.database.id}/${other.collection.id}/${id}`);
      await addNestedIds(scope, other, item as Record<string, unknown>, staged);
    }
  }
}
