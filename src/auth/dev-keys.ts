import { nowDateTime } from '../core/datetime.js';
import { findDevKeyBySecretHash, touchDevKey } from '../data/platform/dev-keys.js';
import type { AuthDeps } from './deps.js';
import { keySecretHash } from './keys.js';

/** How stale `accessedAt` may get before a use writes it again, as for API keys. */
const ACCESS_WRITE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Whether a presented `X-Appwrite-Dev-Key` is a live dev key of the project. Unknown and
 * expired keys are ignored: the request goes on as it would without one.
 */
export async function acceptDevKey(deps: AuthDeps, projectId: string, presented: string, now = Date.now()): Promise<boolean> {
  const row = await findDevKeyBySecretHash(deps.db.platform, projectId, keySecretHash(presented));
  if (!row || Date.parse(row.expire) <= now) return false;
  if (row.accessed_at === null || now - Date.parse(row.accessed_at) > ACCESS_WRITE_INTERVAL_MS) {
    await touchDevKey(deps.db.platform, row.id, nowDateTime());
  }
  return true;
}
