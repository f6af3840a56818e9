import { ORGANIZATION_BASE_SCOPES, organizationRoles } from '../core/organization-roles.js';
import { findProject } from '../data/platform/projects.js';
import { findTeamMembershipOfUser } from '../data/project/memberships.js';
import type { AuthDeps } from './deps.js';
import { CONSOLE_PROJECT_ID } from './project-gate.js';

/** An administrator's standing in one organization (a team of the console project). */
export interface OrganizationAccess {
  roles: string[];
  scopes: ReadonlySet<string>;
}

/**
 * The scopes an organization membership's roles grant. A role written `project-<id>-<role>`
 * names a role in one project only; callers that know the project filter those first
 * (see findProjectAdminAccess). Unknown roles grant nothing beyond the base scopes.
 */
export function organizationRoleScopes(roles: string[]): ReadonlySet<string> {
  const scopes = new Set(ORGANIZATION_BASE_SCOPES);
  for (const role of roles) {
    for (const scope of organizationRoles[role] ?? []) scopes.add(scope);
  }
  return scopes;
}

/** The user's confirmed membership of the organization; undefined for no membership or an open invitation. */
export async function findOrganizationAccess(
  deps: Pick<AuthDeps, 'db'>,
  { userId, teamId }: { userId: string; teamId: string },
): Promise<OrganizationAccess | undefined> {
  const membership = await findTeamMembershipOfUser(deps.db.project(CONSOLE_PROJECT_ID), teamId, userId);
  if (!membership || membership.confirmed !== 1) return undefined;
  const roles = JSON.parse(membership.roles) as string[];
  return { roles, scopes: organizationRoleScopes(roles) };
}

/**
 * The administrator's access to a project through the organization it belongs to: the
 * organization-wide roles plus the roles given for this project alone (`project-<id>-<role>`).
 * Undefined when the project does not exist, belongs to no organization, or the user is no
 * confirmed member of it.
 */
export async function findProjectAdminAccess(
  deps: Pick<AuthDeps, 'db'>,
  { userId, projectId }: { userId: string; projectId: string },
): Promise<OrganizationAccess | undefined> {
  if (projectId === CONSOLE_PROJECT_ID) return undefined;
  const project = await findProject(deps.db.platform, projectId);
  if (!project?.team_id) return undefined;
  const access = await findOrganizationAccess(deps, { userId, teamId: project.team_id });
  if (!access) return undefined;
  const roles = rolesInProject(access.roles, projectId);
  return { roles, scopes: organizationRoleScopes(roles) };
}

/** Organization-wide roles as they are, project roles of this project by their role name. */
function rolesInProject(roles: readonly string[], projectId: string): string[] {
  const prefix = `project-${projectId}-`;
  const result: string[] = [];
  for (const role of roles) {
    if (!role.startsWith('project-')) result.push(role);
    else if (role.startsWith(prefix)) result.push(role.slice(prefix.length));
  }
  return result;
}
