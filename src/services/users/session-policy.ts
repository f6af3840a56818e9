import { POLICY_SETTINGS } from '../../core/policy-settings.js';
import { readProjectSetting } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';

/** Appwrite's defaults: sessions last a year, and a user keeps at most ten. */
export const DEFAULT_SESSION_SECONDS = 365 * 24 * 60 * 60;
export const DEFAULT_SESSION_LIMIT = 10;


export interface SessionPolicy {
  durationSeconds: number;
  /** 0: unlimited. */
  limit: number;
}

export async function readSessionPolicy(deps: ServiceDeps, projectId: string): Promise<SessionPolicy> {
  const [duration, limit] = await Promise.all([
    readProjectSetting(deps.db.platform, projectId, POLICY_SETTINGS.sessionDuration),
    readProjectSetting(deps.db.platform, projectId, POLICY_SETTINGS.sessionLimit),
  ]);
  return {
    durationSeconds: typeof duration === 'number' && duration > 0 ? duration : DEFAULT_SESSION_SECONDS,
    limit: typeof limit === 'number' && limit >= 0 ? limit : DEFAULT_SESSION_LIMIT,
  };
}
