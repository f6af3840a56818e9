import { AppError } from '../core/errors.js';
import { userRoles } from '../core/roles.js';
import { sha256 } from '../core/secrets.js';
import { findConfirmedMemberships, findSession, findSessionWithUser, type SessionWithUser } from '../data/project/sessions.js';
import { findUserById } from '../data/project/users.js';
import type { SessionRow, UserRow } from '../data/tables.js';
import type { AuthDeps } from './deps.js';
import { verifyUserJwt } from './jwt.js';
import { decodeSessionToken } from './session-token.js';

/** The signed-in user of a request, and the session that proves it. */
export interface AuthenticatedUser {
  user: UserRow;
  /** Absent for a JWT minted by a server without a session. */
  session: SessionRow | undefined;
  roles: string[];
  via: 'session' | 'jwt';
}

export interface PresentedCredentials {
  session?: { token: string };
  jwt?: string;
}

/**
 * Resolves session or JWT credentials to a user. A session that is unknown or expired
 * leaves the caller a guest, as Appwrite does; a bad JWT is an error; a blocked user's
 * credentials stop working with `user_blocked`.
 */
export async function authenticateUser(
  deps: AuthDeps,
  projectId: string,
  credentials: PresentedCredentials,
  now = Date.now(),
): Promise<AuthenticatedUser | undefined> {
  let found: AuthenticatedUser | undefined;
  if (credentials.session) found = await fromSessionToken(deps, projectId, credentials.session.token, now);
  if (!found && credentials.jwt) {
    found = await fromJwt(deps, projectId, credentials.jwt, now);
    if (!found) throw new AppError('user_jwt_invalid');
  }
  if (found && found.user.status !== 1) throw new AppError('user_blocked');
  return found;
}

async function fromSessionToken(deps: AuthDeps, projectId: string, token: string, now: number): Promise<AuthenticatedUser | undefined> {
  const decoded = decodeSessionToken(token);
  if (!decoded) return undefined;
  const found = await findSessionWithUser(deps.db.project(projectId), sha256(decoded.secret));
  if (!found || found.user.id !== decoded.userId || Date.parse(found.session.expire) <= now) return undefined;
  return { user: found.user, session: found.session, roles: rolesOf(found.user, found.memberships), via: 'session' };
}

async function fromJwt(deps: AuthDeps, projectId: string, jwt: string, now: number): Promise<AuthenticatedUser | undefined> {
  const claims = await verifyUserJwt(deps.secretKey, projectId, jwt);
  if (!claims) return undefined;
  const store = deps.db.project(projectId);
  const user = await findUserById(store, claims.userId);
  if (!user) return undefined;
  let session: SessionRow | undefined;
  if (claims.sessionId !== '') {
    // A JWT dies with the session it was made from.
    session = await findSession(store, user.id, claims.sessionId);
    if (!session || Date.parse(session.expire) <= now) return undefined;
  }
  const memberships = await findConfirmedMemberships(store, user.id);
  return { user, session, roles: rolesOf(user, memberships), via: 'jwt' };
}

function rolesOf(user: UserRow, memberships: SessionWithUser['memberships']): string[] {
  return userRoles({
    userId: user.id,
    emailVerified: user.email_verified === 1,
    phoneVerified: user.phone_verified === 1,
    labels: JSON.parse(user.labels) as string[],
    memberships: memberships.map((membership) => ({ ...membership, roles: JSON.parse(membership.roles) as string[] })),
  });
}
