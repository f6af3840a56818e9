import type { ServiceDeps } from '../deps.js';

/**
 * Host names known to hold no rule, so requests on them (the API's own names behind a proxy,
 * scanners' guesses) cost no platform read each. A rule created on this node is routed at once;
 * one created on another node once its entry here expires.
 */
const TTL_MS = 5_000;
/** Random Host headers must not grow memory without bound: past this many, the cache starts over. */
const MAX_ENTRIES = 10_000;

/** Per server (tests run several in one process), by host: when the "no rule" answer expires. */
const caches = new WeakMap<ServiceDeps, Map<string, number>>();

function cacheOf(deps: ServiceDeps): Map<string, number> {
  let cache = caches.get(deps);
  if (cache === undefined) {
    cache = new Map();
    caches.set(deps, cache);
  }
  return cache;
}

export function isKnownUnruled(deps: ServiceDeps, host: string, now = Date.now()): boolean {
  const cache = cacheOf(deps);
  const expires = cache.get(host);
  if (expires === undefined) return false;
  if (expires > now) return true;
  cache.delete(host);
  return false;
}

export function noteUnruled(deps: ServiceDeps, host: string, now = Date.now()): void {
  const cache = cacheOf(deps);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(host, now + TTL_MS);
}

/** A rule now holds the domain: route it from the next request. */
export function forgetUnruled(deps: ServiceDeps, host: string): void {
  caches.get(deps)?.delete(host);
}
