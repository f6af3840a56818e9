import { AppError } from '../../core/errors.js';
import { GUEST_ROLES } from '../../core/roles.js';
import { accountModel } from '../account/index.js';
import { authenticateUser } from '../../auth/authenticate-user.js';
import { assertSecondFactor } from '../../auth/second-factor.js';
import type { ServiceDeps } from '../deps.js';

/** What proves a connection's user: kept, so its roles can be checked again later. */
export interface ConnectionCredentials {
  session?: { token: string };
  jwt?: string;
}

/** Who a connection is: a guest, or a user with their current roles. */
export interface ConnectionIdentity {
  userId: string | undefined;
  roles: ReadonlySet<string>;
  /** The Account model, as `connected` and the authentication response show it. */
  account: unknown;
  credentials: ConnectionCredentials | undefined;
}

export const GUEST_IDENTITY: ConnectionIdentity = { userId: undefined, roles: new Set(GUEST_ROLES), account: null, credentials: undefined };

/**
 * Resolves credentials the way a REST request does: an unknown or expired session, a bad
 * JWT, a blocked user or a session still owing its second factor leave a guest.
 */
export async function identify(deps: ServiceDeps, projectId: string, credentials: ConnectionCredentials | undefined): Promise<ConnectionIdentity> {
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
