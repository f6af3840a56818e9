import { nowDateTime } from '../../core/datetime.js';
import { invalidateLists } from './list-cache.js';
import { parseListQueries } from '../../core/queries.js';
import { createDocumentTable, dropDocumentTable } from '../../data/documents/document-ddl.js';
import {
  deleteCollectionRows,
  insertCollection,
  listAttributesOf,
  listCollectionRows,
  listIndexesOf,
  SCHEMA_QUERY_ATTRIBUTES,
  schemaStore,
  updateCollection as updateCollectionRow,
} from '../../data/documents/schema-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { chosenId } from './databases.js';
import { commitWithEvents } from '../event-outbox.js';
import { databaseEvent } from './events.js';
import { fulltextIndexesOf } from './fulltext-indexes.js';
import { spatialIndexesOf } from './spatial-indexes.js';
import { toCollectionModel, type Model } from './models.js';
import { dropCollectionRelationships } from './relationship-jobs.js';
import { COLLECTION_PERMISSION_TYPES, normalisePermissions } from '../../core/permissions.js';
import { metadata, requireCollection, requireDatabase } from './schema-context.js';

export interface CollectionInput {
  collectionId: string;
  name: string;
  permissions?: string[];
  documentSecurity?: boolean;
  enabled?: boolean;
}

/** Creates a collection and its document table; the table is named from the collection's sequence. */
export async function createCollection(deps: ServiceDeps, projectId: string, api: ApiNames, databaseId: string, input: CollectionInput): Promise<Model> {
  const database = await requireDatabase(deps, projectId, databaseId);
  const id = chosenId(input.collectionId, api.containerParam);
  const permissions = normalisePermissions(input.permissions ?? [], COLLECTION_PERMISSION_TYPES);
  const now = nowDateTime();
  // The row, its document table and the event commit together, or none of them does.
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await insertCollection(schemaStore(trx), {
      database_seq: database.seq,
      id,
      name: input.name,
      enabled: input.enabled === false ? 0 : 1,
      document_security: input.documentSecurity ? 1 : 0,
      permissions: JSON.stringify(permissions),
      created_at: now,
      updated_at: now,
    });
    if (row === 'exists') throw apiError(api, 'collection_already_exists', { params: [id] });
    await createDocumentTable(trx, deps.db.dialect, row.seq);
    const model = toCollectionModel(api, database, row, [], []);
    emit(databaseEvent(projectId, { databaseId, collectionId: id, action: 'create', payload: model, readableBy: [] }));
    return model;
  });
}

export async function listCollections(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  databaseId: string,
  input: { queries: string[]; search?: string; total: boolean },
): Promise<Record<string, unknown>> {
  const database = await requireDatabase(deps, projectId, databaseId);
  const list = parseListQueries(input.queries, { attributes: SCHEMA_QUERY_ATTRIBUTES.collections, noSelect: true });
  if (input.search) list.filters.push({ kind: 'text', op: 'contains', negate: false, attribute: 'name', values: [input.search] });
  const store = metadata(deps, projectId);
  const page = await listCollectionRows(store, database.seq, list, input.total);
  const models = await Promise.all(
    page.rows.map(async (row) =>
      toCollectionModel(api, database, row, await listAttributesOf(store, row.seq), await listIndexesOf(store, row.seq)),
    ),
  );
  return { total: page.total, [api.containers]: models };
}

export async function getCollection(deps: ServiceDeps, projectId: string, api: ApiNames, ids: { databaseId: string; collectionId: string }): Promise<Model> {
  const { database, collection, attributes, indexes } = await requireCollection(deps, projectId, api, ids);
  return toCollectionModel(api, database, collection, attributes, indexes);
}

export async function updateCollection(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: { databaseId: string; collectionId: string },
  input: { name?: string; permissions?: string[]; documentSecurity?: boolean; enabled?: boolean; purge?: boolean },
): Promise<Model> {
  const { database, collection, attributes, indexes } = await requireCollection(deps, projectId, api, ids);
  // `purge` empties the collection's ttl list cache; other updates leave it, as in Appwrite.
  if (input.purge) invalidateLists(deps, projectId, collection.seq);
  const permissions = input.permissions === undefined ? undefined : normalisePermissions(input.permissions, COLLECTION_PERMISSION_TYPES);
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateCollectionRow(schemaStore(trx), collection.seq, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(permissions !== undefined ? { permissions: JSON.stringify(permissions) } : {}),
      ...(input.documentSecurity !== undefined ? { document_security: input.documentSecurity ? 1 : 0 } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
      updated_at: nowDateTime(),
    });
    if (!updated) throw apiError(api, 'collection_not_found', { params: [ids.collectionId] });
    const model = toCollectionModel(api, database, updated, attributes, indexes);
    emit(databaseEvent(projectId, { ...ids, action: 'update', payload: model, readableBy: [] }));
    return model;
  });
}

/** Deletes a collection: its table, its documents and their permissions, and its metadata. */
export async function deleteCollection(deps: ServiceDeps, projectId: string, api: ApiNames, ids: { databaseId: string; collectionId: string }): Promise<void> {
  const { database, collection, attributes, indexes } = await requireCollection(deps, projectId, api, ids);
  await dropCollectionRelationships(deps, projectId, collection.seq);
  await dropDocumentTable(deps.db.project(projectId), deps.db.dialect, collection.seq, fulltextIndexesOf(attributes, indexes), spatialIndexesOf(attributes, indexes));
  // The collection's rows go with its event; its tables were dropped before.
  const model = toCollectionModel(api, database, collection, attributes, indexes);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await deleteCollectionRows(schemaStore(trx), collection.seq);
    emit(databaseEvent(projectId, { ...ids, action: 'delete', payload: model, readableBy: [] }));
  });
}
