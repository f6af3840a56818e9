/**
 * The most recently used values, at most `maxEntries` of them and `maxWeight` in total (each
 * value weighs 1 unless `weigh` says otherwise); the least recently used go first. A value
 * heavier than `maxWeight` on its own is not kept.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private weight = 0;

  constructor(private readonly options: { maxEntries: number; maxWeight?: number; weigh?: (value: V) => number }) {}

  get(key: K): V | undefined {
    const found = this.entries.get(key);
    if (!found) return undefined;
    // Refresh its place: a Map keeps insertion order, the oldest first.
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.value;
  }

  set(key: K, value: V): void {
    const weight = this.options.weigh?.(value) ?? 1;
    const maxWeight = this.options.maxWeight ?? Infinity;
    if (weight > maxWeight) return;
    this.delete(key);
    this.entries.set(key, { value, weight });
    this.weight += weight;
    while (this.entries.size > this.options.maxEntries || this.weight > maxWeight) this.delete(this.entries.keys().next().value as K);
  }

  private delete(key: K): void {
    const found = this.entries.get(key);
    if (!found) return;
    this.entries.delete(key);
    this.weight -= found.weight;
  }
}
