/**
 * Values read through, kept for a short while per key: a read many callers share within
 * `ttlMs`, then read again. A read that fails is not kept, so the next caller reads again.
 * Past `maxKeys` the cache starts afresh rather than grow without bound.
 */
export class BriefCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.value;
    if (this.entries.size >= this.maxKeys) this.entries.clear();
    const entry = { at: Date.now(), value: read() };
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The next `get` of this key reads again. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
