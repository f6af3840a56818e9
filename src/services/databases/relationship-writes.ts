import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import {
  findDocument,
  insertDocumentIn,
  updateDocumentIn,
  type DocumentChange,
  type NewDocument,
  type StoredDocument,
} from '../../data/documents/document-store.js';
import { uniqueOrExists } from '../../data/duplicates.js';
import { commitWithEvents } from '../event-outbox.js';
import { emitWrites } from './document-events.js';
import { invalidateListsOf } from './list-cache.js';
import type { Model } from './models.js';
import { lockedDocument } from '../../data/documents/document-locks.js';
import { findDocumentsByIds } from '../../data/documents/document-bulk.js';
import { linkedIds, replaceLinks, type LinkStorage } from '../../data/documents/relationship-store.js';
import { apiError } from './api-names.js';
import { chosenId } from './databases.js';
import { collectionAllows, documentAllows } from './document-access.js';
import { columnsFromData } from './document-data.js';
import { assertGrantable, DOCUMENT_PERMISSION_TYPES, grantsOf, normalisePermissions } from '../../core/permissions.js';
import { collectionOf, loadRelationGraph, type RelationScope } from './relationship-context.js';
import { RelatedChanges, type RelatedWrite } from './relationship-changes.js';
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

/** What a write with relationships wrote: the document it names, and every other one it created or changed. */
export interface RelationalWrite {
  row: StoredDocument;
  related: RelatedWrite[];
}

/**
 * Creates a document with its related documents and links in one transaction, which also
 * emits the event of every document written; answers the created document's model.
 */
export async function insertWithRelationships(
  scope: RelationScope,
  context: CollectionContext,
  doc: NewDocument,
  writes: readonly RelationWrite[],
): Promise<Model | 'exists'> {
  await loadRelationGraph(scope, context.collection.seq);
  // An insert always writes: undefined never comes back.
  return (await commitRelational(scope, context, 'create', (trx) => insertWithRelationshipsIn(trx, scope, context, doc, writes)))!;
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
): Promise<RelationalWrite> {
  const changes = new RelatedChanges(scope.caller);
  const links = await resolveLinks(trx, scope, changes, { context, id: doc.id, permissions: doc.permissions }, writes);
  const row = await insertDocumentIn(trx, context.collection.seq, { ...doc, values: { ...doc.values, ...links.own } });
  await applyLinks(trx, links.elsewhere, row._uid);
  return { row, related: await changes.settle(trx, nowDateTime(), { context, id: row._uid }) };
}

/**
 * Updates a document (its change derived from the stored row, read under lock) with its
 * links in one transaction, which also emits the event of every document written; answers
 * the updated document's model, undefined when it is gone.
 */
export async function updateWithRelationships(
  scope: RelationScope,
  context: CollectionContext,
  documentSeq: number,
  change: (current: StoredDocument) => DocumentChange,
  writes: readonly RelationWrite[],
): Promise<Model | 'exists' | undefined> {
  await loadRelationGraph(scope, context.collection.seq);
  return commitRelational(scope, context, 'update', (trx) => updateWithRelationshipsIn(trx, scope, context, documentSeq, change, writes));
}

/** Runs a relational write with the events of what it wrote, the named document first; a unique clash answers 'exists'. */
async function commitRelational(
  scope: RelationScope,
  context: CollectionContext,
  action: 'create' | 'update',
  write: (trx: Kysely<any>) => Promise<RelationalWrite | undefined>,
): Promise<Model | 'exists' | undefined> {
  const { deps, projectId, api } = scope;
  const committed = await uniqueOrExists(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      const written = await write(trx);
      if (!written) return undefined;
      const all = [{ context, row: written.row, action }, ...written.related];
      return { all, model: emitWrites(emit, projectId, api, scope.database.id, all)[0]! };
    }),
  );
  if (committed === 'exists' || committed === undefined) return committed;
  invalidateListsOf(deps, projectId, committed.all);
  return committed.model;
}

/** The update itself, inside a transaction the caller holds, the relation graph loaded already; undefined when the row is gone. */
export async function updateWithRelationshipsIn(
  trx: Kysely<any>,
  scope: RelationScope,
  context: CollectionContext,
  documentSeq: number,
  change: (current: StoredDocument) => DocumentChange,
  writes: readonly RelationWrite[],
): Promise<RelationalWrite | undefined> {
  const current = await lockedDocument(trx, scope.deps.db.dialect, context.collection.seq, documentSeq);
  if (!current) return undefined;
  const changes = new RelatedChanges(scope.caller);
  const planned = change(current);
  const permissions = planned.permissions ?? (JSON.parse(current._permissions) as string[]);
  const links = await resolveLinks(trx, scope, changes, { context, id: current._uid, row: current, permissions }, writes);
  const row = await updateDocumentIn(trx, context.collection.seq, documentSeq, { ...planned, values: { ...planned.values, ...links.own } });
  await applyLinks(trx, links.elsewhere, row._uid);
  return { row, related: await changes.settle(trx, nowDateTime(), { context, id: row._uid }) };
}

/** The document whose relationships are written: its stored row is absent while it is being created. */
interface LinkOwner {
  context: CollectionContext;
  id: string;
  row?: StoredDocument;
  /** The permissions it has after the write, which nested documents created without their own take, as in Appwrite. */
  permissions: readonly string[];
}

interface ResolvedLinks {
  /** Column -> related id, for links held in the document's own row. */
  own: Record<string, string | null>;
  elsewhere: { storage: LinkStorage; ids: string[] }[];
}

async function resolveLinks(trx: Kysely<any>, scope: RelationScope, changes: RelatedChanges, owner: LinkOwner, writes: readonly RelationWrite[]): Promise<ResolvedLinks> {
  const resolved: ResolvedLinks = { own: {}, elsewhere: [] };
  for (const write of writes) {
    const other = await collectionOf(scope, write.side.otherSeq);
    const ids: string[] = [];
    for (const item of write.items) ids.push(await relatedId(trx, scope, changes, owner, other, item));
    const wanted = [...new Set(ids)];
    await noteLinkChanges(trx, changes, owner, other, write.side, wanted);
    if (write.side.storage.kind === 'own') resolved.own[write.side.storage.column] = wanted[0] ?? null;
    else resolved.elsewhere.push({ storage: write.side.storage, ids: wanted });
  }
  return resolved;
}

/**
 * Counts as changed every related document whose own data the write changes: those it links
 * and those it lets go when they show the link (it is two-way, or held in their row), and,
 * where a related document holds one link only (a column of its own), the document that link
 * is taken from. A one-way link held on this end leaves the related document as it was, so
 * pointing at a document, as at a shared category, needs only read on it.
 */
async function noteLinkChanges(trx: Kysely<any>, changes: RelatedChanges, owner: LinkOwner, other: CollectionContext, side: RelationSide, wanted: readonly string[]): Promise<void> {
  const { storage } = side;
  const before = await currentLinks(trx, storage, owner);
  const added = wanted.filter((id) => !before.includes(id));
  if (side.twoWay || storage.kind === 'foreign') await changes.changed(trx, other, [...added, ...before.filter((id) => !wanted.includes(id))]);
  if (storage.kind !== 'foreign' || added.length === 0) return;
  const partners = (await findDocumentsByIds(trx, other.collection.seq, added)).map((row) => row[storage.column]);
  await changes.changed(trx, owner.context, partners.filter((partner) => partner != null && String(partner) !== owner.id).map(String));
}

async function currentLinks(trx: Kysely<any>, storage: LinkStorage, owner: LinkOwner): Promise<string[]> {
  if (storage.kind === 'own') {
    const value = owner.row?.[storage.column];
    return value == null ? [] : [String(value)];
  }
  return (await linkedIds(trx, storage, [owner.id])).get(owner.id) ?? [];
}

async function applyLinks(trx: Kysely<any>, elsewhere: ResolvedLinks['elsewhere'], id: string): Promise<void> {
  for (const { storage, ids } of elsewhere) await replaceLinks(trx, storage, id, ids);
}

/**
 * The id a relationship value stands for. An id must name a document the caller can read;
 * a nested document is created when its `$id` is new (or absent), else updated with the
 * attributes it carries, each under the related collection's permissions; a new one without
 * `$permissions` takes the owner's. A document the
 * caller may not read is absent for them: its id names nothing, and an object with its
 * `$id` asks to create it, which the taken id refuses.
 */
async function relatedId(
  trx: Kysely<any>,
  scope: RelationScope,
  changes: RelatedChanges,
  owner: LinkOwner,
  other: CollectionContext,
  item: string | Record<string, unknown>,
): Promise<string> {
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
  const found = await findDocument(trx, seq, id);
  const now = nowDateTime();
  if (found && documentAllows(caller, other.collection, found, 'read')) {
    // A document sent back as it was loaded only links it; a real change needs update permission.
    const values = columnsFromData(api, other.attributes, data, 'update');
    const differs = writes.length > 0 || permissions !== undefined || Object.entries(values).some(([column, value]) => !sameStored(found[column], value));
    if (!differs) return id;
    changes.changedRow(other, found);
    const kept = permissions ?? (JSON.parse(found._permissions) as string[]);
    const links = await resolveLinks(trx, scope, changes, { context: other, id, row: found, permissions: kept }, writes);
    await updateDocumentIn(trx, seq, found._seq, {
      updatedAt: now,
      values: { ...values, ...links.own },
      ...(permissions ? { permissions, grants: grantsOf(permissions) } : {}),
    });
    await applyLinks(trx, links.elsewhere, id);
    return id;
  }
  if (!collectionAllows(caller, other.collection, 'create')) throw new AppError('user_unauthorized');
  if (found) throw apiError(api, 'document_already_exists', { params: [id] });
  const chosen = permissions ?? [...owner.permissions];
  changes.created(other, id);
  const links = await resolveLinks(trx, scope, changes, { context: other, id, permissions: chosen }, writes);
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
