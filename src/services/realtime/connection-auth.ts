import { AppError } from '../../core/errors.js';
import { adminCaller, guestCaller, userCaller, type Caller } from '../../core/caller.js';
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

/**
 * Who a connection is, as a request's caller says it, and what a connection keeps beside it: the
 * account it was shown and the credentials that prove it again.
 */
export interface ConnectionIdentity {
  caller: Caller;
  /** The caller's roles as a set, derived once: every event delivered asks whether the receiver holds one of its roles. */
  roles: ReadonlySet<string>;
  /** The Account model, as `connected` and the authentication response show it. */
  account: unknown;
  credentials: ConnectionCredentials | undefined;
}

/** A connection that proved nothing, from this address. */
export function guestIdentity(ip: string): ConnectionIdentity {
  return identityOf(guestCaller(ip), null, undefined);
}

function identityOf(caller: Caller, account: unknown, credentials: ConnectionCredentials | undefined): ConnectionIdentity {
  return { caller, roles: new Set(caller.roles), account, credentials };
}

/**
 * Resolves credentials the way a REST request does: an unknown or expired session, a bad
 * JWT, a blocked user or a session still owing its second factor leave a guest. A console
 * session in admin mode makes an administrator; one of an administrator with no access to the
 * project throws `project_not_found`, as REST answers them.
 */
export async function identify(deps: ServiceDeps, projectId: string, credentials: ConnectionCredentials | undefined, ip: string): Promise<ConnectionIdentity> {
  if (credentials?.adminSession) {
    const admin = await authenticateAdmin(deps, projectId, { session: { token: credentials.adminSession } }).catch(refusalOf);
    if (admin === 'refused') throw new AppError('project_not_found');
    if (admin) {
      // Not the project's user: `account` channels, which follow project users, stay unbound.
      const { user } = admin.user;
      return identityOf(adminCaller(user.id, ['any', ...admin.access.roles], admin.access.scopes, ip, user.email ?? ''), accountModel(user), credentials);
    }
  }
  if (!credentials || (!credentials.session && !credentials.jwt)) return guestIdentity(ip);
  try {
    const found = await authenticateUser(deps, projectId, credentials);
    if (!found) return guestIdentity(ip);
    await assertSecondFactor(deps, projectId, found, false);
    return identityOf(userCaller(found.user, found.roles, { ip, ...(found.session ? { sessionId: found.session.id } : {}) }), accountModel(found.user), credentials);
  } catch (error) {
    if (error instanceof AppError) return guestIdentity(ip);
    throw error;
  }
}

/** `refused` for an administrator outside the project's organization; any other failed proof leaves the project's own credentials to speak. */
function refusalOf(error: unknown): 'refused' | undefined {
  if (error instanceof AppError) return error.type === 'project_not_found' ? 'refused' : undefined;
  throw error;
}
