import { findProject } from '../data/platform/projects.js';
import type { AuthDeps } from './deps.js';
import { findOrganizationAccess, findProjectAdminAccess, type OrganizationAccess } from './organization-access.js';
import { CONSOLE_PROJECT_ID } from './project-gate.js';

/**
 * An administrator's access to an app project through its organization: `missing` when there is
 * no such project (the console project is none), undefined when they are no member of its organization.
 */
export async function findConsoleProjectAccess(deps: AuthDeps, userId: string, projectId: string): Promise<OrganizationAccess | 'missing' | undefined> {
  if (projectId === CONSOLE_PROJECT_ID || !(await findProject(deps.db.platform, projectId))) return 'missing';
  return findProjectAdminAccess(deps, { userId, projectId });
}

/** An administrator's access to one organization; undefined for no confirmed membership. */
export function findConsoleOrganizationAccess(deps: AuthDeps, userId: string, teamId: string): Promise<OrganizationAccess | undefined> {
  return findOrganizationAccess(deps, { userId, teamId });
}
