import { hitRateLimit, type RateLimitHit } from '../data/platform/rate-limits.js';
import type { AuthDeps } from './deps.js';

/**
 * Counts one request against an abuse limit in the store every node shares, so a limit holds
 * across a cluster: the hits in the current window, and when that window started.
 */
export function countRateLimitHit(deps: AuthDeps, key: string, windowMs: number, now: number): Promise<RateLimitHit> {
  return hitRateLimit(deps.db.platform, key, windowMs, now);
}
