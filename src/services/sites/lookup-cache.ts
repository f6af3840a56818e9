import type { ServiceDeps } from '../deps.js';

/**
 * Answers remembered for a short time per server, so a busy site's visits do not each read the
 * store. A change made on this node forgets its answer at once; other nodes see it once it lapses.
 */
export class LookupCache<T> {
  private readonly byServer = new WeakMap<ServiceDeps, Map<string, { value: Promise<T>; until: number }>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    /** Whether an answer may be kept (a miss may be worth asking again). */
    private readonly keeps: (value: T) => boolean = () => true,
  ) {}

  get(deps: ServiceDeps, key: string, load: () => Promise<T>): Promise<T> {
    let entries = this.byServer.get(deps);
    if (!entries) this.byServer.set(deps, (entries = new Map()));
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value as string);
    const entry = { value: load(), until: now + this.ttlMs };
    entries.delete(key);
    entries.set(key, entry);
    entry.value.then(
      (value) => {
        if (!this.keeps(value) && entries.get(key) === entry) entries.delete(key);
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.value;
  }

  forget(deps: ServiceDeps, key: string): void {
    this.byServer.get(deps)?.delete(key);
  }

  forgetAll(deps: ServiceDeps): void {
    this.byServer.delete(deps);
  }
}
