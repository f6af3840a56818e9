import { AppError } from '../../core/errors.js';
import {
  findCollection,
  findDatabase,
  listAttributesOf,
  listIndexesOf,
  schemaStore,
  type SchemaStore,
  type StoredAttribute,
  type StoredCollection,
  type StoredDatabase,
  type StoredIndex,
} from '../../data/documents/schema-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';

/** A collection with everything a request about it needs. */
export interface CollectionContext {
  database: StoredDatabase;
  collection: StoredCollection;
  attributes: StoredAttribute[];
  indexes: StoredIndex[];
}

export function metadata(deps: ServiceDeps, projectId: string): SchemaStore {
  return schemaStore(deps.db.project(projectId));
}

/** The database; a disabled one is hidden from everyone but API keys. */
export async function requireDatabase(deps: ServiceDeps, projectId: string, databaseId: string, isKey = true): Promise<StoredDatabase> {
  const database = await findDatabase(metadata(deps, projectId), databaseId);
  if (!database || (!isKey && database.enabled !== 1)) throw new AppError('database_not_found', undefined, { params: [databaseId] });
  return database;
}

export async function requireCollection(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: { databaseId: string; collectionId: string },
  isKey = true,
): Promise<CollectionContext> {
  const database = await requireDatabase(deps, projectId, ids.databaseId, isKey);
  const store = metadata(deps, projectId);
  const collection = await findCollection(store, database.seq, ids.collectionId);
  if (!collection || (!isKey && collection.enabled !== 1)) throw apiError(api, 'collection_not_found', { params: [ids.collectionId] });
  const [attributes, indexes] = await Promise.all([listAttributesOf(store, collection.seq), listIndexesOf(store, collection.seq)]);
  return { database, collection, attributes, indexes };
}
