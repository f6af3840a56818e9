import { AppError } from '../../core/errors.js';
import { schemaStore, type SchemaStore, type StoredDatabase } from '../../data/documents/schema-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { attributesKey } from './encrypted-values.js';
import { cachedCollection, cachedDatabase, lastSchemaSnapshot, schemaSnapshot, type CollectionContext } from './schema-cache.js';

/** Declared beside the cache that holds it; services name it from here. */
export type { CollectionContext };

export function metadata(deps: ServiceDeps, projectId: string): SchemaStore {
  return schemaStore(deps.db.project(projectId));
}

/** The database; a disabled one is hidden from everyone but API keys. */
export async function requireDatabase(deps: ServiceDeps, projectId: string, databaseId: string, actsForProject = true): Promise<StoredDatabase> {
  const store = metadata(deps, projectId);
  const database = await cachedDatabase(await schemaSnapshot(store), store, databaseId);
  if (!database || (!actsForProject && database.enabled !== 1)) throw new AppError('database_not_found', undefined, { params: [databaseId] });
  return database;
}

/**
 * The collection with its database, attributes and indexes, from this node's cache of the
 * project's current schema version (see schema-cache.ts). The rows are shared and frozen.
 */
export async function requireCollection(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: { databaseId: string; collectionId: string },
  actsForProject = true,
): Promise<CollectionContext> {
  const store = metadata(deps, projectId);
  const snapshot = await schemaSnapshot(store);
  const database = await cachedDatabase(snapshot, store, ids.databaseId);
  if (!database || (!actsForProject && database.enabled !== 1)) throw new AppError('database_not_found', undefined, { params: [ids.databaseId] });
  const context = await cachedCollection(snapshot, store, database, ids.collectionId, () => attributesKey(deps.secretKey, projectId));
  if (!context || (!actsForProject && context.collection.enabled !== 1)) throw apiError(api, 'collection_not_found', { params: [ids.collectionId] });
  return context;
}

/**
 * The collection as this node last saw the project's schema, without reading the version:
 * the caller reads the version in its own statement, and unless it is `version` starts again
 * with `requireCollection`. Undefined whenever the last snapshot could not answer alone (none
 * yet, or no readable collection there: only the current version may refuse a request).
 */
export async function collectionAsLastSeen(
  deps: ServiceDeps,
  projectId: string,
  ids: { databaseId: string; collectionId: string },
  actsForProject: boolean,
): Promise<{ context: CollectionContext; version: number } | undefined> {
  const store = metadata(deps, projectId);
  const snapshot = lastSchemaSnapshot(store);
  if (!snapshot) return undefined;
  const database = await cachedDatabase(snapshot, store, ids.databaseId);
  if (!database || (!actsForProject && database.enabled !== 1)) return undefined;
  const context = await cachedCollection(snapshot, store, database, ids.collectionId, () => attributesKey(deps.secretKey, projectId));
  if (!context || (!actsForProject && context.collection.enabled !== 1)) return undefined;
  return { context, version: snapshot.version };
}
