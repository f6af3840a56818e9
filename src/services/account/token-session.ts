import { AppError } from '../../core/errors.js';
import { findUserById } from '../../data/project/users.js';
import type { UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import type { ActivitySource } from '../users/index.js';
import { saveUserChanges } from '../users/index.js';
import { issueSession, type IssuedSession } from '../users/index.js';
import { redeemToken, type TokenType } from './tokens.js';

/**
 * Token types a sign-in route hands out, and what trading one for a session means:
 * the session's provider, the factor it proves, and what it verifies on the account.
 */
const SIGN_IN_TOKENS: Readonly<Partial<Record<TokenType, { provider: string; factor: string; verifies?: 'email' | 'phone' }>>> = {
  generic: { provider: 'token', factor: 'token' },
  'magic-url': { provider: 'magic-url', factor: 'email', verifies: 'email' },
  email: { provider: 'email', factor: 'email', verifies: 'email' },
  phone: { provider: 'phone', factor: 'phone', verifies: 'phone' },
  oauth2: { provider: 'oauth2', factor: 'email' },
};
const SIGN_IN_TOKEN_TYPES = Object.keys(SIGN_IN_TOKENS) as TokenType[];

/**
 * `account.createSession({ userId, secret })`: spends a sign-in token of the user (once,
 * even under a race) and opens a session. A wrong, spent or expired secret is
 * `user_invalid_token`, whichever it was.
 */
export async function createSessionFromToken(
  deps: ServiceDeps,
  projectId: string,
  input: { userId: string; secret: string },
  source: ActivitySource,
): Promise<IssuedSession> {
  const token = await redeemToken(deps, projectId, input.userId, SIGN_IN_TOKEN_TYPES, input.secret);
  let user = await findUserById(deps.db.project(projectId), input.userId);
  if (!user) throw new AppError('user_invalid_token');
  if (user.status !== 1) throw new AppError('user_blocked');
  const kind = SIGN_IN_TOKENS[token.type as TokenType]!;
  if (kind.verifies) user = await markVerified(deps, projectId, user, kind.verifies);
  return issueSession(deps, projectId, user, source, {
    provider: kind.provider,
    providerUid: kind.verifies === 'phone' ? (user.phone ?? '') : (user.email ?? ''),
    factors: [kind.factor],
  });
}

/** Receiving the token proved the address it was sent to. */
async function markVerified(deps: ServiceDeps, projectId: string, user: UserRow, what: 'email' | 'phone'): Promise<UserRow> {
  const column = what === 'email' ? 'email_verified' : 'phone_verified';
  if (user[column] === 1) return user;
  const attribute = what === 'email' ? 'emailVerification' : 'phoneVerification';
  return saveUserChanges(deps, projectId, user, { [column]: 1 }, { attribute, conflicts: 'generic' });
}
