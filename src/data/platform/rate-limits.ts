import type { Kysely } from 'kysely';
import type { PlatformTables } from '../tables.js';

export interface RateLimitHit {
  /** Requests counted in the current window, this one included. */
  hits: number;
  /** Epoch milliseconds at which the current window began. */
  windowStart: number;
}

/**
 * Counts one request against `key` in a fixed window of `windowMs` that opens at the first
 * request after the previous window ended. One statement (an upsert that returns the row),
 * so requests racing on several nodes over the same store each see a distinct count.
 */
export async function hitRateLimit(db: Kysely<PlatformTables>, key: string, windowMs: number, now: number): Promise<RateLimitHit> {
  const expiredBefore = now - windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, hits: 1 })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet((eb) => {
        // Both engines evaluate every SET expression against the row as it was.
        const expired = eb('rate_limits.window_start', '<=', expiredBefore);
        return {
          hits: eb.case().when(expired).then(1).else(eb('rate_limits.hits', '+', 1)).end(),
          window_start: eb.case().when(expired).then(now).else(eb.ref('rate_limits.window_start')).end(),
        };
      }),
    )
    .returning(['hits', 'window_start'])
    .executeTakeFirstOrThrow();
  // PostgreSQL hands bigint columns back as strings.
  return { hits: Number(row.hits), windowStart: Number(row.window_start) };
}

/** Deletes counters whose window began before `before` (epoch ms); returns how many went. */
export async function purgeExpiredRateLimits(db: Kysely<PlatformTables>, before: number): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
