/**
 * Response times kept whole, for percentiles finer than autocannon's histogram,
 * which rounds to whole milliseconds (a 0.4 ms p50 would print as 0).
 */
export class Latencies {
  private values = new Float64Array(1 << 16);
  private count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }

  /** Percentiles (0-100) by nearest rank; NaN when nothing was recorded. */
  percentiles(...ranks: number[]): number[] {
    const sorted = this.values.slice(0, this.count).sort();
    return ranks.map((rank) => {
      if (sorted.length === 0) return NaN;
      const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1));
      return sorted[index] ?? NaN;
    });
  }
}
