import { BriefCache } from '../../core/brief-cache.js';
import { listEnabledWebhooks } from '../../data/platform/webhooks.js';
import type { ServiceDeps } from '../deps.js';

/**
 * How long a project's enabled webhooks are trusted before they are read again. A change made
 * through this node is seen at once (its writer forgets them); another node's within this,
 * as function triggers see a function's `events`.
 */
const CACHE_MS = 1000;
/** Projects one node keeps; past it the cache starts again. */
const MAX_PROJECTS = 10_000;

/** An enabled webhook as an event is matched against it. */
export interface WebhookListener {
  id: string;
  patterns: readonly string[];
}

/** Per platform store, so servers in one process (tests) keep theirs apart. */
const caches = new WeakMap<object, BriefCache<WebhookListener[]>>();

function cacheOf(deps: ServiceDeps): BriefCache<WebhookListener[]> {
  let cache = caches.get(deps.db.platform);
  if (!cache) {
    cache = new BriefCache(CACHE_MS, MAX_PROJECTS);
    caches.set(deps.db.platform, cache);
  }
  return cache;
}

/** The project's enabled webhooks, read at most once a second per node instead of once per event. */
export function webhookListeners(deps: ServiceDeps, projectId: string): Promise<WebhookListener[]> {
  return cacheOf(deps).get(projectId, async () =>
    (await listEnabledWebhooks(deps.db.platform, projectId)).map((row) => ({ id: row.id, patterns: JSON.parse(row.events) as string[] })),
  );
}

/** After a write to the project's webhooks: the next event reads them again. */
export function forgetWebhookListeners(deps: ServiceDeps, projectId: string): void {
  cacheOf(deps).forget(projectId);
}
