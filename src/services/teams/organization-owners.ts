import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';
import type { Caller } from '../../core/caller.js';
import { AppError } from '../../core/errors.js';
import { countTeamOwners } from '../../data/project/memberships.js';
import type { MembershipRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';

// Organizations (the console's teams) keep an owner: other roles can neither add one nor delete
// the organization. So, as Appwrite enforces there, the only owner may not leave or give up the
// role themselves. Teams of a project have no such rule, as in Appwrite.

const LAST_OWNER = 'There must be at least one owner in the organization.';

/** Counted as Appwrite counts them: every membership holding `owner`, invitations included. */
async function isOnlyOwner(deps: ServiceDeps, projectId: string, membership: MembershipRow): Promise<boolean> {
  if (projectId !== CONSOLE_PROJECT_ID) return false;
  return (await countTeamOwners(deps.db.project(projectId), membership.team_id, 2)) === 1;
}

const ownMembership = (caller: Caller, membership: MembershipRow) => caller.userId !== undefined && membership.user_id === caller.userId;
const holdsOwner = (membership: MembershipRow) => (JSON.parse(membership.roles) as string[]).includes('owner');

/** Refuses the only owner of an organization removing their own membership. */
export async function assertOwnerMayLeave(deps: ServiceDeps, projectId: string, caller: Caller, membership: MembershipRow): Promise<void> {
  if (!ownMembership(caller, membership) || !holdsOwner(membership)) return;
  if (await isOnlyOwner(deps, projectId, membership)) throw new AppError('membership_deletion_prohibited', LAST_OWNER);
}

/** Refuses the only owner of an organization taking `owner` out of their own roles. */
export async function assertOwnerMayStepDown(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  membership: MembershipRow,
  roles: readonly string[],
): Promise<void> {
  if (roles.includes('owner') || !ownMembership(caller, membership) || !caller.roles.includes(`team:${membership.team_id}/owner`)) return;
  if (await isOnlyOwner(deps, projectId, membership)) throw new AppError('membership_downgrade_prohibited', LAST_OWNER);
}
