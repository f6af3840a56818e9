import { CONSOLE_PROJECT_ID } from '../auth/project-gate.js';
import { AppError } from '../core/errors.js';
import { createTeam } from '../services/teams/index.js';
import type { ServiceDeps } from '../services/deps.js';

/** The organization projects made on the server's command line belong to. */
export const DEFAULT_ORGANIZATION = { id: 'default', name: 'Default organization' } as const;

/**
 * Makes the default organization (a team of the console project) unless it exists. It starts with
 * no members: administrators join it as any organization, through its owners or `plinth` commands.
 */
export async function ensureDefaultOrganization(deps: ServiceDeps): Promise<string> {
  try {
    await createTeam(deps, CONSOLE_PROJECT_ID, { isKey: true, roles: [] }, { teamId: DEFAULT_ORGANIZATION.id, name: DEFAULT_ORGANIZATION.name });
  } catch (error) {
    if (!(error instanceof AppError && error.type === 'team_already_exists')) throw error;
  }
  return DEFAULT_ORGANIZATION.id;
}
