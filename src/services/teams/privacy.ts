import type { Caller } from '../../core/caller.js';
import { POLICY_SETTINGS } from '../../core/policy-settings.js';
import { readProjectSettings } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';
import { ALL_DETAILS, type MemberDetails } from './models.js';

/** Which member details this caller may see when reading memberships; everything unless the project says otherwise. */
export async function memberDetailsFor(deps: ServiceDeps, projectId: string, caller: Caller): Promise<MemberDetails> {
  return caller.actsForProject ? ALL_DETAILS : memberDetailsForUsers(deps, projectId);
}

/** What the project lets its users (team owners too) see of other members; servers see everything. */
export async function memberDetailsForUsers(deps: ServiceDeps, projectId: string): Promise<MemberDetails> {
  const settings = await readProjectSettings(deps.db.platform, projectId);
  const shown = (name: string) => settings.get(name) !== false;
  return {
    userName: shown(POLICY_SETTINGS.membershipUserName),
    userEmail: shown(POLICY_SETTINGS.membershipUserEmail),
    mfa: shown(POLICY_SETTINGS.membershipMfa),
  };
}
