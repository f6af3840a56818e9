import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';
import { serverCaller } from '../../core/caller.js';
import { AppError } from '../../core/errors.js';
import { claimProjectSetting } from '../../data/platform/settings.js';
import { countUsers } from '../../data/project/users.js';
import type { ServiceDeps } from '../deps.js';
import { inviteMember } from './invitations.js';
import { createTeam } from './teams.js';

/** The organization projects made on the server's command line belong to. */
export const DEFAULT_ORGANIZATION = { id: 'default', name: 'Default organization' } as const;

/** Set, to the administrator's id, once the first administrator owns the default organization. */
const OWNER_SETTING = 'console.defaultOrganizationOwner';

/** Makes the default organization (a team of the console project) unless it exists; its id. */
export async function ensureDefaultOrganization(deps: ServiceDeps): Promise<string> {
  try {
    await createTeam(deps, CONSOLE_PROJECT_ID, serverCaller(), { teamId: DEFAULT_ORGANIZATION.id, name: DEFAULT_ORGANIZATION.name });
  } catch (error) {
    if (!(error instanceof AppError && error.type === 'team_already_exists')) throw error;
  }
  return DEFAULT_ORGANIZATION.id;
}

/**
 * Makes a newly created administrator the owner of the default organization when they are the
 * server's only one, so the projects made on the command line are theirs to open. It happens
 * once per server: later administrators join it as any organization, through its owners.
 */
export async function adoptFirstAdministrator(deps: ServiceDeps, userId: string): Promise<void> {
  if ((await countUsers(deps.db.project(CONSOLE_PROJECT_ID))) !== 1) return;
  if (!(await claimProjectSetting(deps.db.platform, CONSOLE_PROJECT_ID, OWNER_SETTING, userId))) return;
  await ensureDefaultOrganization(deps);
  try {
    await inviteMember(deps, CONSOLE_PROJECT_ID, serverCaller(), DEFAULT_ORGANIZATION.id, { userId, roles: ['owner'] });
  } catch (error) {
    if (!(error instanceof AppError && error.type === 'membership_already_confirmed')) throw error;
  }
}
