/** Why a runtime's last seed build failed, and until when later builds do not try it again. */
export interface SeedFailure {
  cacheKey: string;
  failures: number;
  reason: string;
  retryAt: number;
}

/**
 * Failed seed builds, per runtime, remembered for a while: each failure doubles the wait before the
 * next attempt (from `firstDelayMs`, at most `maxDelayMs`), so a broken toolchain does not make every
 * build pay for a seed build that fails again. A success forgets the failures; so does a new cache
 * key (a changed toolchain or build script deserves a new attempt at once).
 */
export class SeedBackoff {
  private readonly failures = new Map<string, SeedFailure>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly firstDelayMs = 60_000,
    private readonly maxDelayMs = 3_600_000,
  ) {}

  /** The failure that still holds back this cache, if any. */
  blocking(runtimeKey: string, cacheKey: string): SeedFailure | undefined {
    const failure = this.failures.get(runtimeKey);
    if (!failure) return undefined;
    if (failure.cacheKey !== cacheKey) {
      this.failures.delete(runtimeKey);
      return undefined;
    }
    return this.now() < failure.retryAt ? failure : undefined;
  }

  failed(runtimeKey: string, cacheKey: string, reason: string): SeedFailure {
    const before = this.failures.get(runtimeKey);
    const failures = before?.cacheKey === cacheKey ? before.failures + 1 : 1;
    const delay = Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** (failures - 1));
    const failure = { cacheKey, failures, reason, retryAt: this.now() + delay };
    this.failures.set(runtimeKey, failure);
    return failure;
  }

  succeeded(runtimeKey: string): void {
    this.failures.delete(runtimeKey);
  }
}
