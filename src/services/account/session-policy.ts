import { readProjectSetting } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';

/** Appwrite's defaults: sessions last a year, and a user keeps at most ten. */
export const DEFAULT_SESSION_SECONDS = 365 * 24 * 60 * 60;
export const DEFAULT_SESSION_LIMIT = 10;

/** Project settings read by the session code; the project API writes them. */
export const SESSION_DURATION_SETTING = 'policy:session-duration';
export const SESSION_LIMIT_SETTING = 'policy:session-limit';

export interface SessionPolicy {
  durationSeconds: number;
  /** 0: unlimited. */
  limit: number;
}

export async function readSessionPolicy(deps: ServiceDeps, projectId: string): Promise<SessionPolicy> {
  const [duration, limit] = await Promise.all([
    readProjectSetting(deps.db.platform, projectId, SESSION_DURATION_SETTING),
    readProjectSetting(deps.db.platform, projectId, SESSION_LIMIT_SETTING),
  ]);
  return {
    durationSeconds: typeof duration === 'number' && duration > 0 ? duration : DEFAULT_SESSION_SECONDS,
    limit: typeof limit === 'number' && limit >= 0 ? limit : DEFAULT_SESSION_LIMIT,
  };
}
