import { readProjectSettings } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';
import type { TeamCaller } from './access.js';
import { ALL_DETAILS, type MemberDetails } from './models.js';

/** Project settings (booleans, true = shown) that hide member details from users; servers always see them. */
export const MEMBERSHIP_PRIVACY_SETTINGS = {
  userName: 'policy:membership-privacy-user-name',
  userEmail: 'policy:membership-privacy-user-email',
  mfa: 'policy:membership-privacy-mfa',
} as const;

/** Which member details this caller may see when reading memberships; everything unless the project says otherwise. */
export async function memberDetailsFor(deps: ServiceDeps, projectId: string, caller: TeamCaller): Promise<MemberDetails> {
  if (caller.isKey) return ALL_DETAILS;
  const settings = await readProjectSettings(deps.db.platform, projectId);
  const shown = (name: string) => settings.get(name) !== false;
  return {
    userName: shown(MEMBERSHIP_PRIVACY_SETTINGS.userName),
    userEmail: shown(MEMBERSHIP_PRIVACY_SETTINGS.userEmail),
    mfa: shown(MEMBERSHIP_PRIVACY_SETTINGS.mfa),
  };
}
