import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import {
  findDocument,
  insertDocumentIn,
  uniqueOrExists,
  updateDocumentIn,
  type DocumentChange,
  type NewDocument,
  type StoredDocument,
} from '../../data/documents/document-store.js';
import { documentTableName } from '../../data/documents/naming.js';
import { replaceLinks, type LinkStorage } from '../../data/documents/relationship-store.js';
import { apiError } from './api-names.js';
import { chosenId } from './databases.js';
import { collectionAllows, documentAllows } from './document-access.js';
import { columnsFromData } from './document-data.js';
import { assertGrantable, defaultDocumentPermissions, DOCUMENT_PERMISSION_TYPES, grantsOf, normalisePermissions } from './permissions.js';
import { collectionOf, loadRelationGraph, type RelationScope } from './relationship-context.js';
import { availableRelationships, sideOf, type RelationSide } from './relationship-sides.js';
import type { CollectionContext } from './schema-context.js';

/** A relationship value of the written data: ids, nested documents, or null / []. */
export interface RelationWrite {
  key: string;
  side: RelationSide;
  items: (string | Record<string, unknown>)[];
}

/**
 * Takes the relationship keys out of document data, checking each value's shape: one id or
 * document (or null) for a one-side, a list of them for a many-side.
 */
export function takeRelationships(scope: Pick<RelationScope, 'api'>, context: CollectionContext, data: Readonly<Record<string, unknown>>) {
  const relations = availableRelationships(context.attributes);
  const rest: Record<string, unknown> = {};
  const writes: RelationWrite[] = [];
  const invalid = (message: string) => apiError(scope.api, 'relationship_value_invalid', { message });
  for (const [key, value] of Object.entries(data)) {
    const attribute = relations.find((a) => a.key === key);
    if (!attribute) {
      rest[key] = value;
      continue;
    }
    const side = sideOf(attribute);
    const isItem = (item: unknown) => typeof item === 'string' || (typeof item === 'object' && item !== null && !Array.isArray(item));
    let items: unknown[];
    if (side.many) {
      if (value !== null && !Array.isArray(value)) throw invalid(`Invalid relationship value for "${key}": must be an array of documents or document IDs`);
      items = value ?? [];
    } else {
      if (Array.isArray(value)) throw invalid(`Invalid relationship value for "${key}": must be a document, a document ID or null`);
      items = value === null || value === undefined ? [] : [value];
    }
    if (!items.every(isItem)) throw invalid(`Invalid relationship value for "${key}": must be documents or document IDs`);
    writes.push({ key, side, items: items as RelationWrite['items'] });
  }
  return { data: rest, writes };
}

/** Creates a document with its related documents and links, in one transaction. */
export async function insertWithRelationships(
  scope: RelationScope,
  context: CollectionContext,
  doc: NewDocument,
  writes: readonly RelationWrite[],
): Promise<StoredDocument | 'exists'> {
  const db = scope.deps.db.project(scope.projectId);
  await loadRelationGraph(scope, context.collection.seq);
  return uniqueOrExists(() => db.transaction().execute((trx) => insertWithRelationshipsIn(trx, scope, context, doc, writes)));
}

/**
 * The insert itself, inside a transaction the caller holds. The relation graph of the
 * collection must be loaded already (`loadRelationGraph`).
 */
export async function insertWithRelationshipsIn(
  trx: Kysely<any>,
  scope: RelationScope,
  context: CollectionContext,
  doc: NewDocument,
  writes: readonly RelationWrite[],
): Promise<StoredDocument> {
  const links = await resolveLinks(trx, scope, writes);
  const row = await insertDocumentIn(trx, context.collection.seq, { ...doc, values: { ...doc.values, ...links.own } });
  await applyLinks(trx, links.elsewhere, row._uid);
  return row;
}

/** Updates a document (its change derived from the stored row, read under lock) with its links, in one transaction. */
export async function updateWithRelationships(
  scope: RelationScope,
  context: CollectionContext,
  documentSeq: number,
  change: (current: StoredDocument) => DocumentChange,
  writes: readonly RelationWrite[],
): Promise<StoredDocument | 'exists' | undefined> {
  const db = scope.deps.db.project(scope.projectId);
  await loadRelationGraph(scope, context.collection.seq);
  return uniqueOrExists(() => db.transaction().execute((trx) => updateWithRelationshipsIn(trx, scope, context, documentSeq, change, writes)));
}

/** The update itself, inside a transaction the caller holds, the relation graph loaded already; undefined when the row is gone. */
export async function updateWithRelationshipsIn(
  trx: Kysely<any>,
  scope: RelationScope,
  context: CollectionContext,
  documentSeq: number,
  change: (current: StoredDocument) => DocumentChange,
  writes: readonly RelationWrite[],
): Promise<StoredDocument | undefined> {
  const current = await lockedRow(trx, scope, context.collection.seq, documentSeq);
  if (!current) return undefined;
  const links = await resolveLinks(trx, scope, writes);
  const planned = change(current);
  const row = await updateDocumentIn(trx, context.collection.seq, documentSeq, { ...planned, values: { ...planned.values, ...links.own } });
  await applyLinks(trx, links.elsewhere, row._uid);
  return row;
}

async function lockedRow(trx: Kysely<any>, scope: RelationScope, collectionSeq: number, documentSeq: number): Promise<StoredDocument | undefined> {
  let query = trx.selectFrom(documentTableName(collectionSeq)).selectAll().where('_seq', '=', documentSeq);
  if (scope.deps.db.dialect.skipLocked) query = query.forUpdate();
  return (await query.executeTakeFirst()) as StoredDocument | undefined;
}

interface ResolvedLinks {
  /** Column -> related id, for links held in the document's own row. */
  own: Record<string, string | null>;
  elsewhere: { storage: LinkStorage; ids: string[] }[];
}

async function resolveLinks(trx: Kysely<any>, scope: RelationScope, writes: readonly RelationWrite[]): Promise<ResolvedLinks> {
  const resolved: ResolvedLinks = { own: {}, elsewhere: [] };
  for (const write of writes) {
    const other = await collectionOf(scope, write.side.otherSeq);
    const ids: string[] = [];
    for (const item of write.items) ids.push(await relatedId(trx, scope, other, item));
    if (write.side.storage.kind === 'own') resolved.own[write.side.storage.column] = ids[0] ?? null;
    else resolved.elsewhere.push({ storage: write.side.storage, ids });
  }
  return resolved;
}

async function applyLinks(trx: Kysely<any>, elsewhere: ResolvedLinks['elsewhere'], id: string): Promise<void> {
  for (const { storage, ids } of elsewhere) await replaceLinks(trx, storage, id, ids);
}

/**
 * The id a relationship value stands for. An id must name a document the caller can read;
 * a nested document is created when its `$id` is new (or absent), else updated with the
 * attributes it carries, each under the related collection's permissions.
 */
async function relatedId(trx: Kysely<any>, scope: RelationScope, other: CollectionContext, item: string | Record<string, unknown>): Promise<string> {
  const { api, caller } = scope;
  const seq = other.collection.seq;
  if (typeof item === 'string') {
    const found = await findDocument(trx, seq, item);
    if (!found || !documentAllows(caller, other.collection, found, 'read')) {
      throw apiError(api, 'relationship_value_invalid', { message: `Related document "${item}" could not be found in "${other.collection.id}".` });
    }
    return item;
  }
  const rawId = item.$id;
  if (rawId !== undefined && typeof rawId !== 'string') throw apiError(api, 'relationship_value_invalid', { message: 'A related document\'s $id must be a string.' });
  const id = chosenId(rawId ?? 'unique()', api.itemParam);
  const rawPermissions = item.$permissions;
  if (rawPermissions != null && (!Array.isArray(rawPermissions) || rawPermissions.some((p) => typeof p !== 'string'))) {
    throw new AppError('general_argument_invalid', 'Invalid `permissions` param: must be an array of strings');
  }
  const permissions = rawPermissions == null ? undefined : normalisePermissions(rawPermissions as string[], DOCUMENT_PERMISSION_TYPES);
  if (permissions) assertGrantable(caller, permissions);
  const { data, writes } = takeRelationships(scope, other, item);
  const existing = await findDocument(trx, seq, id);
  const now = nowDateTime();
  if (existing) {
    // A document sent back as it was loaded links it; only a real change needs update permission.
    const values = columnsFromData(api, other.attributes, data, 'update');
    const changes = writes.length > 0 || permissions !== undefined || Object.entries(values).some(([column, value]) => !sameStored(existing[column], value));
    if (!changes) {
      if (!documentAllows(caller, other.collection, existing, 'read')) {
        throw apiError(api, 'relationship_value_invalid', { message: `Related document "${id}" could not be found in "${other.collection.id}".` });
      }
      return id;
    }
    if (!documentAllows(caller, other.collection, existing, 'update')) throw new AppError('user_unauthorized');
    const links = await resolveLinks(trx, scope, writes);
    await updateDocumentIn(trx, seq, existing._seq, {
      updatedAt: now,
      values: { ...values, ...links.own },
      ...(permissions ? { permissions, grants: grantsOf(permissions) } : {}),
    });
    await applyLinks(trx, links.elsewhere, id);
    return id;
  }
  if (!collectionAllows(caller, other.collection, 'create')) throw new AppError('user_unauthorized');
  const chosen = permissions ?? defaultDocumentPermissions(caller);
  const links = await resolveLinks(trx, scope, writes);
  await insertDocumentIn(trx, seq, {
    id,
    createdAt: now,
    updatedAt: now,
    permissions: chosen,
    grants: grantsOf(chosen),
    values: { ...columnsFromData(api, other.attributes, data, 'create'), ...links.own },
  });
  await applyLinks(trx, links.elsewhere, id);
  return id;
}

/** Whether a column already holds the value about to be written (drivers return numbers as text at times). */
function sameStored(stored: unknown, value: unknown): boolean {
  if (stored === null || stored === undefined || value === null || value === undefined) return (stored ?? null) === (value ?? null);
  return String(stored) === String(value);
}
