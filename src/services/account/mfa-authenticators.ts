import { decryptValue, encryptValue } from '../../core/crypto.js';
import { formatDateTime, nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { sha256 } from '../../core/secrets.js';
import { deleteAuthenticator, findAuthenticator, markAuthenticatorVerified, replaceUnverifiedAuthenticator } from '../../data/project/authenticators.js';
import { claimChallengeId } from '../../data/project/challenges.js';
import { findProject } from '../../data/platform/projects.js';
import type { AuthenticatorRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { userEvent } from '../users/index.js';
import { commitWithEvents } from '../event-outbox.js';
import { toUserModel, type UserModel } from '../users/index.js';
import { accountModel } from './account.js';
import type { AuthenticatedUser } from '../../auth/authenticate-user.js';
import { assertRecentChallenge, creditSessionFactors, requireCurrentSession } from './mfa-factors.js';
import { matchTotpCode, newTotpSecret, TOTP_PERIOD_SECONDS, totpUri } from './mfa-totp.js';

/** The only authenticator type there is. */
export type AuthenticatorType = 'totp';

export interface MfaTypeModel {
  secret: string;
  uri: string;
}

/** Starts TOTP enrolment: a fresh secret, unverified until the user proves a code from it. */
export async function createTotpAuthenticator(deps: ServiceDeps, projectId: string, user: UserRow): Promise<MfaTypeModel> {
  const secret = newTotpSecret();
  const now = nowDateTime();
  const row: AuthenticatorRow = {
    user_id: user.id,
    type: 'totp',
    secret: encryptValue(deps.secretKey, secret),
    verified: 0,
    created_at: now,
    updated_at: now,
  };
  if (!(await replaceUnverifiedAuthenticator(deps.db.project(projectId), row))) throw new AppError('user_authenticator_already_verified');
  const project = await findProject(deps.db.platform, projectId);
  return { secret, uri: totpUri(secret, project?.name ?? projectId, user.email ?? user.id) };
}

/** Finishes enrolment with a code from the app; the session has then proven TOTP too. */
export async function verifyTotpAuthenticator(deps: ServiceDeps, projectId: string, signedIn: AuthenticatedUser, code: string): Promise<UserModel> {
  const { user } = signedIn;
  const store = deps.db.project(projectId);
  const authenticator = await findAuthenticator(store, user.id, 'totp');
  if (!authenticator) throw new AppError('user_authenticator_not_found');
  if (authenticator.verified === 1) throw new AppError('user_authenticator_already_verified');
  if (!(await spendTotpCode(deps, projectId, user.id, authenticator, code))) throw new AppError('user_invalid_token');
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await markAuthenticatorVerified(trx, user.id, 'totp', nowDateTime()))) throw new AppError('user_authenticator_already_verified');
    if (signedIn.session) await creditSessionFactors(trx, signedIn.session, ['totp'], true);
    emit(userEvent(projectId, user.id, { action: 'update', attribute: 'mfa', payload: toUserModel(user, { withPassword: false }) }));
  });
  return accountModel(user);
}

/**
 * Removes an authenticator. A verified one is a factor, so taking it away needs a recent
 * challenge; an abandoned enrolment can go freely.
 */
export async function removeAuthenticator(deps: ServiceDeps, projectId: string, signedIn: AuthenticatedUser, type: AuthenticatorType): Promise<void> {
  const { user } = signedIn;
  const store = deps.db.project(projectId);
  const authenticator = await findAuthenticator(store, user.id, type);
  if (!authenticator) throw new AppError('user_authenticator_not_found');
  if (authenticator.verified === 1) assertRecentChallenge(requireCurrentSession(signedIn));
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteAuthenticator(trx, user.id, type))) throw new AppError('user_authenticator_not_found');
    emit(userEvent(projectId, user.id, { action: 'update', attribute: 'mfa', payload: toUserModel(user, { withPassword: false }) }));
  });
}

/**
 * Checks a TOTP code against an authenticator and uses it up: a code accepted once is
 * refused for the rest of the time it would stay valid, so an observed code cannot be
 * replayed. The marker is a challenges row whose id derives from the user and time step,
 * so the primary key settles two requests racing with the same code.
 */
export async function spendTotpCode(deps: ServiceDeps, projectId: string, userId: string, authenticator: AuthenticatorRow, code: string): Promise<boolean> {
  const step = await matchTotpCode(decryptValue(deps.secretKey, authenticator.secret), code.trim());
  if (step === undefined) return false;
  const now = new Date();
  return claimChallengeId(deps.db.project(projectId), {
    id: sha256(`${userId}:totp-used:${step}`).slice(0, 36),
    user_id: userId,
    type: 'totp-used',
    code_hash: '',
    // A step's code is accepted up to one step after its own ends.
    expire: formatDateTime(new Date((step + 2) * TOTP_PERIOD_SECONDS * 1000)),
    created_at: formatDateTime(now),
  });
}
