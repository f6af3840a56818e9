import { AppError } from '../core/errors.js';
import { authenticateUser, type AuthenticatedUser, type PresentedCredentials } from './authenticate-user.js';
import type { AuthDeps } from './deps.js';
import { findProjectAdminAccess, type OrganizationAccess } from './organization-access.js';
import { CONSOLE_PROJECT_ID } from './project-gate.js';
import { assertSecondFactor } from './second-factor.js';

/** An administrator proven by a console session, and what their organization lets them do in the project. */
export interface AdminCaller {
  user: AuthenticatedUser;
  access: OrganizationAccess;
}

/**
 * Admin mode (`X-Appwrite-Mode: admin`): the console session the request carries, checked in the
 * console project, then the administrator's confirmed membership of the organization that owns
 * the project. Undefined without a console session (the caller stays a guest); an administrator
 * with no access to the project gets the answer a missing project gets, so projects of other
 * organizations cannot be discovered.
 */
export async function authenticateAdmin(deps: AuthDeps, projectId: string, credentials: PresentedCredentials): Promise<AdminCaller | undefined> {
  // Only a session: a JWT in the request belongs to the project's own user.
  if (!credentials.session) return undefined;
  const user = await authenticateUser(deps, CONSOLE_PROJECT_ID, { session: credentials.session });
  if (!user) return undefined;
  // A console session still waiting for its second factor opens nothing in the projects.
  await assertSecondFactor(deps, CONSOLE_PROJECT_ID, user, false);
  const access = await findProjectAdminAccess(deps, { userId: user.user.id, projectId });
  if (!access) throw new AppError('project_not_found');
  return { user, access };
}
