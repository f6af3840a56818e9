import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { parseListQueries, type ParsedList } from '../../core/queries.js';
import {
  findDocument,
  insertDocumentIn,
  listDocuments as listDocumentRows,
  updateDocumentIn,
  type DocumentChange,
  type DocumentLayout,
  type StoredDocument,
} from '../../data/documents/document-store.js';
import { uniqueOrExists } from '../../data/duplicates.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { columnKind } from './attribute-values.js';
import { refuseEncryptedQueries } from './encrypted-values.js';
import { fulltextIndexFor } from './fulltext-indexes.js';
import type { FulltextIndex } from '../../data/dialects/fulltext.js';
import type { SpatialIndex } from '../../data/dialects/spatial.js';
import { isGeometryType } from '../../core/geometry.js';
import { spatialIndexFor } from './spatial-indexes.js';
import { chosenId } from './databases.js';
import { assertReadable, assertWritable, collectionAllows } from './document-access.js';
import { columnsFromData } from './document-data.js';
import { chosenDates } from './document-dates.js';
import { operatorValues } from './document-operators.js';
import { splitOperators } from './operators.js';
import { cachedList, invalidateLists, type CachedAnswer } from './list-cache.js';
import { updateLockedDocument } from '../../data/documents/document-locks.js';
import { emitDocument } from './document-events.js';
import { createInOneStatement, fitsOneStatement, updateInOneStatement } from './document-one-statement.js';
import { commitWithEvents } from '../event-outbox.js';
import { toDocumentModel, type Model } from './models.js';
import type { Caller } from '../../core/caller.js';
import {
  assertGrantable,
  defaultDocumentPermissions,
  DOCUMENT_PERMISSION_TYPES,
  grantsOf,
  normalisePermissions,
} from '../../core/permissions.js';
import { collectionAsLastSeen, requireCollection, type CollectionContext } from './schema-context.js';
import { readCollectionDocument } from './document-read.js';
import { readSchemaVersion, SchemaVersionMoved } from '../../data/documents/schema-version.js';
import { isRelationship } from '../../data/documents/relationship-store.js';
import { relationScope } from './relationship-context.js';
import { deleteWithRelationships } from './relationship-deletes.js';
import { loadAllRelated, loadRelated } from './relationship-loading.js';
import { availableRelationships, ownRelationColumns } from './relationship-sides.js';
import { insertWithRelationships, takeRelationships, updateWithRelationships } from './relationship-writes.js';

type Ids = { databaseId: string; collectionId: string };

/** Creates a document; its permissions default to the creating user's, and a client grants only roles it holds. */
export async function createDocument(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids,
  input: { documentId: string; data: Record<string, unknown>; permissions?: string[] | null },
): Promise<Model> {
  const seen = await collectionAsLastSeen(deps, projectId, ids, caller.actsForProject);
  if (seen) {
    try {
      const model = await createOn(deps, projectId, api, caller, ids, seen.context, input, seen.version);
      if (model !== undefined) return withRelated(deps, projectId, api, caller, ids, seen.context, model);
    } catch (error) {
      if (!(await staleSnapshotCaused(deps, projectId, error, seen.version))) throw error;
    }
  }
  const context = await requireCollection(deps, projectId, api, ids, caller.actsForProject);
  return withRelated(deps, projectId, api, caller, ids, context, (await createOn(deps, projectId, api, caller, ids, context, input)) as Model);
}

/**
 * The answer to a create, update or upsert: Appwrite's carries each relationship's related
 * documents (see loadAllRelated); the event keeps the document alone.
 */
async function withRelated(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, ids: Ids, context: CollectionContext, model: Model): Promise<Model> {
  if (availableRelationships(context.attributes).length === 0) return model;
  const row = await findDocument(deps.db.project(projectId), context.collection.seq, String(model.$id));
  if (!row) return model;
  const answer = { ...model };
  await loadAllRelated(relationScope(deps, projectId, api, caller, context), context, [row], [answer]);
  return answer;
}

/**
 * Creates the document on this collection context. With `version` (metadata cached for it),
 * the commit checks the version and rolls back if it moved; undefined when the create would
 * write beyond this document (relationships), which takes the usual path.
 */
async function createOn(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids,
  context: CollectionContext,
  input: { documentId: string; data: Record<string, unknown>; permissions?: string[] | null },
  version?: number,
): Promise<Model | undefined> {
  if (!collectionAllows(caller, context.collection, 'create')) throw new AppError('user_unauthorized');
  const id = chosenId(input.documentId, api.itemParam);
  const permissions = input.permissions == null ? defaultDocumentPermissions(caller) : normalisePermissions(input.permissions, DOCUMENT_PERMISSION_TYPES);
  assertGrantable(caller, permissions);
  const scope = relationScope(deps, projectId, api, caller, context);
  const relations = takeRelationships(scope, context, input.data);
  // Operators on a new document start from an empty value (0, [], '').
  const { plain, operators } = splitOperators(relations.data);
  const data = operators.size === 0 ? plain : { ...plain, ...operatorValues(api, context.attributes, operators) };
  const values = columnsFromData(api, context.attributes, data, 'create');
  const dates = chosenDates(api, caller.actsForProject, input.data);
  const now = nowDateTime();
  const doc = { id, createdAt: dates.createdAt ?? now, updatedAt: dates.updatedAt ?? now, permissions, grants: grantsOf(permissions), values };
  if (relations.writes.length === 0) {
    if (fitsOneStatement(deps, context, values)) return createInOneStatement(deps, projectId, api, ids, context, doc, version);
    // The document and its event commit together.
    const model = await uniqueOrExists(() =>
      commitWithEvents(
        deps,
        projectId,
        async (trx, emit) => emitDocument(emit, projectId, api, ids, context, await insertDocumentIn(trx, context.collection.seq, doc), 'create'),
        version === undefined ? {} : { schemaVersion: version },
      ),
    );
    if (model === 'exists') throw apiError(api, 'document_already_exists', { params: [id] });
    invalidateLists(deps, projectId, context.collection.seq);
    return model;
  }
  if (version !== undefined) return undefined;
  const model = await insertWithRelationships(scope, context, doc, relations.writes);
  if (model === 'exists') throw apiError(api, 'document_already_exists', { params: [id] });
  return model;
}

export async function getDocument(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids & { documentId: string },
  queries: string[],
): Promise<Model> {
  const { context, row: found } = await readCollectionDocument(deps, projectId, api, ids, caller.actsForProject);
  const list = parseDocumentQueries(api, context, queries);
  const row = assertReadable(api, caller, context.collection, found, ids.documentId);
  const model = toDocumentModel(api, ids, context.attributes, row, list.select);
  await loadRelated(relationScope(deps, projectId, api, caller, context), context, [row], [model], list.select);
  return model;
}

/**
 * One page of the documents the caller may read: with the collection's read permission
 * every document, else (document security on) those granting read to one of the caller's
 * roles, filtered in the same statement.
 */
export async function listDocuments(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids,
  input: { queries: string[]; total: boolean; ttl?: number },
): Promise<CachedAnswer> {
  // Uncached lists read the schema version in their page's statement, when the engine can.
  if (deps.db.dialect.lateralJoin && !input.ttl) {
    const seen = await collectionAsLastSeen(deps, projectId, ids, caller.actsForProject);
    // Anything a stale snapshot made go wrong is asked again on the current version.
    const answer = seen ? await listOn(deps, projectId, api, caller, ids, seen.context, input, seen.version).catch(() => undefined) : undefined;
    if (answer !== undefined) return { value: answer };
  }
  const context = await requireCollection(deps, projectId, api, ids, caller.actsForProject);
  if (!input.ttl) return { value: (await listOn(deps, projectId, api, caller, ids, context, input))! };
  // A cached page holds its total, so a later request for the same page with the total finds it.
  const load = () => listOn(deps, projectId, api, caller, ids, context, { ...input, total: true }) as Promise<Record<string, unknown>>;
  const answer = await cachedList(deps, listCacheKey(projectId, api, caller, context, input), input.ttl, load);
  return input.total ? answer : { ...answer, value: { ...answer.value, total: 0 } };
}

/** The page on this collection context; with `version`, undefined unless that is still the schema's version. */
async function listOn(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids,
  context: CollectionContext,
  input: { queries: string[]; total: boolean },
  version?: number,
): Promise<Record<string, unknown> | undefined> {
  const list = parseDocumentQueries(api, context, input.queries);
  const open = collectionAllows(caller, context.collection, 'read');
  if (!open && context.collection.document_security !== 1) throw new AppError('user_unauthorized');
  const page = await listDocumentRows(deps.db.project(projectId), deps.db.dialect, documentLayout(context), list, {
    total: input.total,
    withSchemaVersion: version !== undefined,
    ...(open ? {} : { access: { type: 'read' as const, roles: caller.roles } }),
  });
  if (version !== undefined && page.schemaVersion !== version) return undefined;
  const models = page.rows.map((row) => toDocumentModel(api, ids, context.attributes, row, list.select));
  await loadRelated(relationScope(deps, projectId, api, caller, context), context, page.rows, models, list.select);
  return { total: page.total, [api.items]: models };
}

function listCacheKey(projectId: string, api: ApiNames, caller: Caller, context: CollectionContext, input: { queries: string[] }) {
  // Collection permissions, security and attribute states change what a list shows.
  const { collection, attributes } = context;
  const schema = JSON.stringify([collection.permissions, collection.document_security, collection.enabled, attributes.map((a) => [a.seq, a.key, a.status])]);
  return { projectId, collectionSeq: collection.seq, schema, api: api.kind, actsForProject: caller.actsForProject, roles: caller.roles, queries: input.queries };
}

/** Changes the given attributes (and the permissions when given); others keep their values. */
export async function updateDocument(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids & { documentId: string },
  input: { data?: Record<string, unknown>; permissions?: string[] | null; unchangedSince?: Date | undefined },
): Promise<Model> {
  const { context, row: current } = await readCollectionDocument(deps, projectId, api, ids, caller.actsForProject);
  if (!current) throw apiError(api, 'document_not_found', { params: [ids.documentId] });
  assertWritable(caller, context.collection, current, 'update');
  const permissions = input.permissions == null ? undefined : normalisePermissions(input.permissions, DOCUMENT_PERMISSION_TYPES);
  if (permissions) assertGrantable(caller, permissions);
  const dates = chosenDates(api, caller.actsForProject, input.data ?? {});
  const scope = relationScope(deps, projectId, api, caller, context);
  const relations = takeRelationships(scope, context, input.data ?? {});
  const { plain, operators } = splitOperators(relations.data);
  const since = input.unchangedSince;
  const change = (stored?: StoredDocument): DocumentChange => {
    if (stored && since) assertUnchangedSince(api, stored, since);
    return {
      updatedAt: dates.updatedAt ?? nowDateTime(),
      ...(dates.createdAt ? { createdAt: dates.createdAt } : {}),
      values: columnsFromData(api, context.attributes, { ...plain, ...operatorValues(api, context.attributes, operators, stored) }, 'update'),
      ...(permissions ? { permissions, grants: grantsOf(permissions) } : {}),
    };
  };
  if (relations.writes.length === 0 && operators.size === 0 && !since) {
    const planned = change();
    if (fitsOneStatement(deps, context, planned.values)) {
      const model = await updateInOneStatement(deps, projectId, api, ids, context, current, planned);
      if (model !== undefined) return withRelated(deps, projectId, api, caller, ids, context, model);
    }
    // The change and its event commit together.
    const model = await uniqueOrExists(() =>
      commitWithEvents(deps, projectId, async (trx, emit) =>
        emitDocument(emit, projectId, api, ids, context, await updateDocumentIn(trx, context.collection.seq, current._seq, change()), 'update'),
      ),
    );
    if (model === 'exists') throw apiError(api, 'document_already_exists', { params: [ids.documentId] });
    invalidateLists(deps, projectId, context.collection.seq);
    return withRelated(deps, projectId, api, caller, ids, context, model);
  }
  // Operators derive values from the stored ones, and a request timestamp is compared with
  // the stored change time, so these read and write under one lock.
  const model =
    relations.writes.length > 0
      ? await updateWithRelationships(scope, context, current._seq, change, relations.writes)
      : await updateLocked(deps, projectId, api, ids, context, current._seq, change);
  if (model === undefined) throw apiError(api, 'document_not_found', { params: [ids.documentId] });
  if (model === 'exists') throw apiError(api, 'document_already_exists', { params: [ids.documentId] });
  return withRelated(deps, projectId, api, caller, ids, context, model);
}

/** Updates the document from its row as read under lock; the change and its event commit together. */
async function updateLocked(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  context: CollectionContext,
  documentSeq: number,
  change: (stored: StoredDocument) => DocumentChange,
): Promise<Model | 'exists' | undefined> {
  const model = await uniqueOrExists(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      const row = await updateLockedDocument(trx, deps.db.dialect, context.collection.seq, documentSeq, change);
      return row && emitDocument(emit, projectId, api, ids, context, row, 'update');
    }),
  );
  if (model !== undefined && model !== 'exists') invalidateLists(deps, projectId, context.collection.seq);
  return model;
}

export async function deleteDocument(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids & { documentId: string },
  options: { unchangedSince?: Date | undefined } = {},
): Promise<void> {
  const context = await requireCollection(deps, projectId, api, ids, caller.actsForProject);
  const db = deps.db.project(projectId);
  const current = await findDocument(db, context.collection.seq, ids.documentId);
  if (!current) throw apiError(api, 'document_not_found', { params: [ids.documentId] });
  assertWritable(caller, context.collection, current, 'delete');
  const since = options.unchangedSince;
  const guard = since ? (stored: StoredDocument) => assertUnchangedSince(api, stored, since) : undefined;
  // The asked-for document first, then what its relationships cascaded to or let go.
  await deleteWithRelationships(relationScope(deps, projectId, api, caller, context), context, current, guard);
}

/**
 * Refuses a write based on a read older than the document's last change (see requestTimestamp).
 * Called on the row as read under the write's lock, so a change landing after the request's
 * own first read is caught too.
 */
function assertUnchangedSince(api: ApiNames, stored: StoredDocument, since: Date): void {
  if (new Date(stored._updated_at).getTime() > since.getTime()) throw apiError(api, 'document_update_conflict');
}

export function parseDocumentQueries(api: ApiNames, context: CollectionContext, queries: string[]): ParsedList {
  // Relationships are queryable where the document's own row holds the related id.
  const keys = [...plainAttributes(context).map((a) => a.key), ...Object.keys(ownRelationColumns(context.attributes))];
  const geometries = Object.fromEntries(plainAttributes(context).flatMap((a) => (isGeometryType(a.type) ? [[a.key, a.type] as const] : [])));
  const list = parseListQueries(queries, { attributes: [...keys, '$sequence'], documents: true, geometries });
  refuseEncryptedQueries(api, context.attributes, list);
  return list;
}

/** What the query compiler needs to know of the collection's table. */
export function documentLayout(context: CollectionContext): DocumentLayout {
  const available = plainAttributes(context);
  const columnOf = (key: string) => {
    const attribute = available.find((a) => a.key === key);
    return attribute ? attributeColumnName(attribute.seq) : undefined;
  };
  // A search on an attribute uses the first available fulltext index that covers it.
  const fulltext: Record<string, FulltextIndex> = {};
  for (const index of context.indexes) {
    if (index.type !== 'fulltext' || index.status !== 'available') continue;
    for (const key of JSON.parse(index.attributes) as string[]) {
      const column = columnOf(key);
      if (column && !fulltext[column]) fulltext[column] = fulltextIndexFor(index, available);
    }
  }
  // A spatial query on an attribute narrows by the available spatial index over it.
  const spatial: Record<string, SpatialIndex> = {};
  for (const index of context.indexes) {
    if (index.type !== 'spatial' || index.status !== 'available') continue;
    if (!available.some((a) => a.key === (JSON.parse(index.attributes) as string[])[0])) continue;
    const found = spatialIndexFor(index, available);
    spatial[found.column] ??= found;
  }
  return {
    collectionSeq: context.collection.seq,
    columns: { ...Object.fromEntries(available.map((a) => [a.key, attributeColumnName(a.seq)])), ...ownRelationColumns(context.attributes) },
    numberColumns: available.filter((a) => columnKind(a) === 'integer' || columnKind(a) === 'float').map((a) => attributeColumnName(a.seq)),
    booleanColumns: available.filter((a) => columnKind(a) === 'boolean').map((a) => attributeColumnName(a.seq)),
    arrayColumns: available.filter((a) => a.array === 1).map((a) => attributeColumnName(a.seq)),
    stringColumns: available.filter((a) => a.type === 'string').map((a) => attributeColumnName(a.seq)),
    fulltext,
    spatial,
  };
}

/** The available attributes held in columns of their own (relationships are not). */
function plainAttributes(context: CollectionContext) {
  return context.attributes.filter((a) => a.status === 'available' && !isRelationship(a));
}

/**
 * Whether a failure of a change made on cached metadata came from that metadata being old:
 * the commit said so, or the version is no longer the one it was cached for (then the
 * change is made again on the current one, and a genuine failure comes back from there).
 */
async function staleSnapshotCaused(deps: ServiceDeps, projectId: string, error: unknown, version: number): Promise<boolean> {
  if (error instanceof SchemaVersionMoved) return true;
  return (await readSchemaVersion(deps.db.project(projectId)).catch(() => undefined)) !== version;
}
