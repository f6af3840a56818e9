import type { ServiceDeps } from '../deps.js';

/**
 * The `ttl` list cache: list answers kept for a caller's exact request (roles, queries)
 * for up to `ttl` seconds, whether or not it asks for the total, as Appwrite keeps them. Every document write bumps its collection's
 * generation, so a cached answer never outlives a change made through this process;
 * changes from other processes show once the entry expires. Keys carry the caller's
 * roles, so one caller never sees what another may read.
 */
interface Entry {
  value: Record<string, unknown>;
  storedAt: number;
  generation: number;
}

interface ListCache {
  entries: Map<string, Entry>;
  /** `${projectId}/${collectionSeq}` -> writes seen so far. */
  generations: Map<string, number>;
}

/** Entries kept at most; the oldest go first. */
const MAX_ENTRIES = 1000;

// One cache per running service (tests start several in one process).
const caches = new WeakMap<ServiceDeps, ListCache>();

function cacheOf(deps: ServiceDeps): ListCache {
  let cache = caches.get(deps);
  if (!cache) {
    cache = { entries: new Map(), generations: new Map() };
    caches.set(deps, cache);
  }
  return cache;
}

/** What makes two list requests the same answer; the schema fingerprint covers permission and attribute changes. */
export interface ListCacheKey {
  projectId: string;
  collectionSeq: number;
  schema: string;
  api: string;
  actsForProject: boolean;
  roles: readonly string[];
  queries: readonly string[];
}

/** A list answer and whether it came from the cache (`undefined`: the request asked for none). */
export interface CachedAnswer {
  value: Record<string, unknown>;
  hit?: boolean;
}

/**
 * Answers from the cache when a fresh entry exists, else runs `load` and keeps its
 * answer for `ttl` seconds. The generation is read before loading, so a write that
 * commits while the list runs makes the stored entry stale at once.
 */
export async function cachedList(deps: ServiceDeps, key: ListCacheKey, ttl: number, load: () => Promise<Record<string, unknown>>): Promise<CachedAnswer> {
  if (ttl <= 0) return { value: await load() };
  const cache = cacheOf(deps);
  const text = JSON.stringify([key.projectId, key.collectionSeq, key.schema, key.api, key.actsForProject, [...key.roles].sort(), key.queries]);
  const generation = cache.generations.get(`${key.projectId}/${key.collectionSeq}`) ?? 0;
  const hit = cache.entries.get(text);
  // An entry serves a request while it is younger than that request's own ttl, as Appwrite reads its cache.
  if (hit && hit.generation === generation && Date.now() - hit.storedAt < ttl * 1000) return { value: hit.value, hit: true };
  const value = await load();
  cache.entries.delete(text);
  cache.entries.set(text, { value, storedAt: Date.now(), generation });
  while (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
  return { value, hit: false };
}

/** Marks every cached list of the collection stale; called after each document write. */
export function invalidateLists(deps: ServiceDeps, projectId: string, collectionSeq: number): void {
  const cache = cacheOf(deps);
  const id = `${projectId}/${collectionSeq}`;
  cache.generations.set(id, (cache.generations.get(id) ?? 0) + 1);
}

/** After a write committed: the lists of every collection it wrote to. */
export function invalidateListsOf(deps: ServiceDeps, projectId: string, written: readonly { context: { collection: { seq: number } } }[]): void {
  for (const seq of new Set(written.map(({ context }) => context.collection.seq))) invalidateLists(deps, projectId, seq);
}
