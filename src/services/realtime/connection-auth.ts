import { AppError } from '../../core/errors.js';
import { GUEST_ROLES } from '../../core/roles.js';
import { accountModel } from '../account/index.js';
import { authenticateAdmin } from '../../auth/admin-mode.js';
import { authenticateUser } from '../../auth/authenticate-user.js';
import { assertSecondFactor } from '../../auth/second-factor.js';
import type { ServiceDeps } from '../deps.js';

/** What proves a connection's user: kept, so its roles can be checked again later. */
export interface ConnectionCredentials {
  session?: { token: string };
  jwt?: string;
  /** A console session presented in admin mode: an administrator of the project's organization. */
  adminSession?: string;
}

/** Who a connection is: a guest, a user with their current roles, or an administrator. */
export interface ConnectionIdentity {
  userId: string | undefined;
  roles: ReadonlySet<string>;
  /** An administrator of the project's organization: every event of the project, whole, as a key reads it. */
  admin?: { userId: string };
  /** The Account model, as `connected` and the authentication response show it. */
  account: unknown;
  credentials: ConnectionCredentials | undefined;
}

export const GUEST_IDENTITY: ConnectionIdentity = { userId: undefined, roles: new Set(GUEST_ROLES), account: null, credentials: undefined };

/**
 * Resolves credentials the way a REST request does: an unknown or expired session, a bad
 * JWT, a blocked user or a session still owing its second factor leave a guest. A console
 * session in admin mode makes an administrator; one of an administrator with no access to the
 * project throws `project_not_found`, as REST answers them.
 */
export async function identify(deps: ServiceDeps, projectId: string, credentials: ConnectionCredentials | undefined): Promise<ConnectionIdentity> {
  if (credentials?.adminSession) {
    const admin = await authenticateAdmin(deps, projectId, { session: { token: credentials.adminSession } }).catch(refusalOf);
    if (admin === 'refused') throw new AppError('project_not_found');
    if (admin) {
      // Not the project's user: `account` channels, which follow project users, stay unbound.
      return { userId: undefined, roles: new Set(['any', ...admin.access.roles]), admin: { userId: admin.user.user.id }, account: accountModel(admin.user.user), credentials };
    }
  }
  if (!credentials || (!credentials.session && !credentials.jwt)) return GUEST_IDENTITY;
  try {
    const found = await authenticateUser(deps, projectId, credentials);
    if (!found) return GUEST_IDENTITY;
    await assertSecondFactor(deps, projectId, found, false);
    return { userId: found.user.id, roles: new Set(found.roles), account: accountModel(found.user), credentials };
  } catch (error) {
    if (error instanceof AppError) return GUEST_IDENTITY;
    throw error;
  }
}

/** `refused` for an administrator outside the project's organization; any other failed proof leaves the project's own credentials to speak. */
function refusalOf(error: unknown): 'refused' | undefined {
  if (error instanceof AppError) return error.type === 'project_not_found' ? 'refused' : undefined;
  throw error;
}
