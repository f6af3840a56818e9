import {
  findCollection,
  findDatabase,
  listAttributesOf,
  listIndexesOf,
  type SchemaStore,
  type StoredAttribute,
  type StoredCollection,
  type StoredDatabase,
  type StoredIndex,
} from '../../data/documents/schema-store.js';
import { readSchemaVersion } from '../../data/documents/schema-version.js';
import { withSealKeys } from './encrypted-values.js';

/** A collection with everything a request about it needs. */
export interface CollectionContext {
  database: StoredDatabase;
  collection: StoredCollection;
  attributes: StoredAttribute[];
  indexes: StoredIndex[];
}

/**
 * Databases metadata as this node last read it, per project store, valid for one value of
 * the project's schema version. Each request reads the version first (one primary-key
 * read), then metadata: what it loads is at least as new as that version, so nothing
 * older than a committed change is ever cached under a version that includes it.
 *
 * Why a version row and not an event: on PostgreSQL several nodes may share one database
 * without Redis, so an event bus would not reach them all; and schema jobs, the CLI and
 * any other process change the metadata too. The version is moved by triggers on the
 * metadata tables, in the writing transaction, so no write path can forget it.
 */
interface Snapshot {
  version: number;
  databases: Map<string, Promise<StoredDatabase | undefined>>;
  /** Keyed by `<database seq>/<collection id>`. */
  collections: Map<string, Promise<CollectionContext | undefined>>;
}

/** Enough for the collections of a busy project; past it the snapshot starts again. */
const MAX_ENTRIES = 2000;

const snapshots = new WeakMap<SchemaStore, Snapshot>();

/** The snapshot for the store's current schema version. */
export async function schemaSnapshot(store: SchemaStore): Promise<Snapshot> {
  const version = await readSchemaVersion(store);
  const cached = snapshots.get(store);
  if (cached && cached.version === version) return cached;
  const fresh: Snapshot = { version, databases: new Map(), collections: new Map() };
  // A request that read the version before a concurrent one saw a newer value must not replace the newer snapshot.
  if (!cached || cached.version < version) snapshots.set(store, fresh);
  return fresh;
}

/**
 * The snapshot this node last took of the store, without reading the version: for a request
 * that reads the version in its own statement and starts again when it is not this one's.
 */
export function lastSchemaSnapshot(store: SchemaStore): Snapshot | undefined {
  return snapshots.get(store);
}

export function cachedDatabase(snapshot: Snapshot, store: SchemaStore, databaseId: string): Promise<StoredDatabase | undefined> {
  return remember(snapshot.databases, databaseId, async () => freeze(await findDatabase(store, databaseId)));
}

/** `sealKey` gives the project's key of encrypted attributes (the same for every version of one store), derived only when the collection is read. */
export function cachedCollection(
  snapshot: Snapshot,
  store: SchemaStore,
  database: StoredDatabase,
  collectionId: string,
  sealKey: () => Buffer,
): Promise<CollectionContext | undefined> {
  return remember(snapshot.collections, `${database.seq}/${collectionId}`, async () => {
    const collection = await findCollection(store, database.seq, collectionId);
    if (!collection) return undefined;
    const [attributes, indexes] = await Promise.all([listAttributesOf(store, collection.seq), listIndexesOf(store, collection.seq)]);
    // Shared by every request of this version: frozen, so a caller that changed one would fail loudly.
    return Object.freeze({
      database,
      collection: freeze(collection),
      attributes: Object.freeze(withSealKeys(attributes, sealKey()).map(freeze)) as CollectionContext['attributes'],
      indexes: Object.freeze(indexes.map(freeze)) as CollectionContext['indexes'],
    });
  });
}

/** One load per key and snapshot, shared by concurrent requests; a failed load is not kept. */
function remember<T>(entries: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let entry = entries.get(key);
  if (!entry) {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entry = load();
    entries.set(key, entry);
    entry.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
  }
  return entry;
}

function freeze<T extends object | undefined>(row: T): T {
  return row === undefined ? row : Object.freeze(row);
}
