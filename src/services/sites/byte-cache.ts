/**
 * A least-recently-used map bounded by the bytes of its values. A value may be a promise, so
 * requests that arrive while one is being made share it; one that fails is forgotten.
 */
export class ByteCache {
  private readonly entries = new Map<string, { value: Promise<Buffer>; bytes: number }>();
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: moving the entry to the end marks it as the latest used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const entry = { value: make(), bytes: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (buffer) => {
        if (this.entries.get(key) !== entry) return;
        if (buffer.length > this.maxBytes) return void this.entries.delete(key);
        entry.bytes = buffer.length;
        this.used += buffer.length;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.used <= this.maxBytes) return;
      this.entries.delete(key);
      this.used -= entry.bytes;
    }
  }
}
