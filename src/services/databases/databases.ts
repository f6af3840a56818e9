import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { dropDocumentTable } from '../../data/documents/document-ddl.js';
import {
  deleteCollectionRows,
  deleteDatabaseRow,
  insertDatabase,
  listAttributesOf,
  listCollectionsOf,
  listIndexesOf,
  listDatabaseRows,
  SCHEMA_QUERY_ATTRIBUTES,
  schemaStore,
  updateDatabase as updateDatabaseRow,
} from '../../data/documents/schema-store.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { commitWithEvents } from '../event-outbox.js';
import { databaseEvent } from './events.js';
import { fulltextIndexesOf } from './fulltext-indexes.js';
import { spatialIndexesOf } from './spatial-indexes.js';
import { toDatabaseModel, type Model } from './models.js';
import { dropCollectionRelationships } from './relationship-jobs.js';
import { metadata, requireDatabase } from './schema-context.js';

export function idRulesMessage(param: string): string {
  return `Invalid \`${param}\` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char`;
}

/** A custom id or `unique()`, checked. */
export function chosenId(requested: string, param: string): string {
  const id = resolveId(requested);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', idRulesMessage(param));
  return id;
}

export async function createDatabase(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  input: { databaseId: string; name: string; enabled?: boolean },
): Promise<Model> {
  const id = chosenId(input.databaseId, 'databaseId');
  const now = nowDateTime();
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await insertDatabase(schemaStore(trx), {
      id,
      name: input.name,
      enabled: input.enabled === false ? 0 : 1,
      type: api.kind,
      created_at: now,
      updated_at: now,
    });
    if (row === 'exists') throw new AppError('database_already_exists', undefined, { params: [id] });
    const model = toDatabaseModel(row);
    emit(databaseEvent(projectId, { databaseId: id, action: 'create', payload: model, readableBy: [] }));
    return model;
  });
}

export async function listDatabases(deps: ServiceDeps, projectId: string, input: { queries: string[]; search?: string; total: boolean }): Promise<{ total: number; databases: Model[] }> {
  const list = parseListQueries(input.queries, { attributes: SCHEMA_QUERY_ATTRIBUTES.databases, noSelect: true });
  if (input.search) {
    list.filters.push({ kind: 'text', op: 'contains', negate: false, attribute: 'name', values: [input.search] });
  }
  const page = await listDatabaseRows(metadata(deps, projectId), list, input.total);
  return { total: page.total, databases: page.rows.map(toDatabaseModel) };
}

export async function getDatabase(deps: ServiceDeps, projectId: string, databaseId: string): Promise<Model> {
  return toDatabaseModel(await requireDatabase(deps, projectId, databaseId));
}

export async function updateDatabase(
  deps: ServiceDeps,
  projectId: string,
  databaseId: string,
  input: { name?: string; enabled?: boolean },
): Promise<Model> {
  const database = await requireDatabase(deps, projectId, databaseId);
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateDatabaseRow(schemaStore(trx), database.seq, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
      updated_at: nowDateTime(),
    });
    if (!updated) throw new AppError('database_not_found', undefined, { params: [databaseId] });
    const model = toDatabaseModel(updated);
    emit(databaseEvent(projectId, { databaseId, action: 'update', payload: model, readableBy: [] }));
    return model;
  });
}

/** Deletes a database with every collection's table and documents. */
export async function deleteDatabase(deps: ServiceDeps, projectId: string, databaseId: string): Promise<void> {
  const database = await requireDatabase(deps, projectId, databaseId);
  const store = metadata(deps, projectId);
  for (const collection of await listCollectionsOf(store, database.seq)) {
    await dropCollectionRelationships(deps, projectId, collection.seq);
    const [attributes, indexes] = await Promise.all([listAttributesOf(store, collection.seq), listIndexesOf(store, collection.seq)]);
    await dropDocumentTable(deps.db.project(projectId), deps.db.dialect, collection.seq, fulltextIndexesOf(attributes, indexes), spatialIndexesOf(attributes, indexes));
    await deleteCollectionRows(store, collection.seq);
  }
  // The database's row goes with its event; its collections' tables were dropped before.
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await deleteDatabaseRow(schemaStore(trx), database.seq);
    emit(databaseEvent(projectId, { databaseId, action: 'delete', payload: toDatabaseModel(database), readableBy: [] }));
  });
}
