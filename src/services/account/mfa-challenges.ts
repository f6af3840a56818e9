import { formatDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { equalSecrets, randomDigits, sha256 } from '../../core/secrets.js';
import { findAuthenticator } from '../../data/project/authenticators.js';
import { consumeChallenge, deleteExpiredChallenges, findChallenge, insertChallenge } from '../../data/project/challenges.js';
import { findProject } from '../../data/platform/projects.js';
import type { ChallengeRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { sendSms, sendTemplatedMail } from '../messages/index.js';
import { userEvent } from '../users/index.js';
import { commitWithEvents } from '../event-outbox.js';
import type { SessionModel } from '../users/index.js';
import { consumeRecoveryCode, readRecoveryCodes } from '../users/index.js';
import type { AuthenticatedUser } from '../../auth/authenticate-user.js';
import { creditSessionFactors, requireCurrentSession, type SessionFactor } from './mfa-factors.js';
import { spendTotpCode } from './mfa-authenticators.js';
import { sessionModel } from '../users/index.js';

/** The factors a challenge can be for, as the API names them. */
export const CHALLENGE_FACTORS = ['email', 'phone', 'totp', 'recoverycode'] as const;
export type ChallengeFactor = (typeof CHALLENGE_FACTORS)[number];

/** Long enough to fetch a mail, short enough that a leaked code soon dies. */
const CHALLENGE_SECONDS = 15 * 60;

const SESSION_FACTOR: Record<ChallengeFactor, SessionFactor> = { email: 'email', phone: 'phone', totp: 'totp', recoverycode: 'recoveryCode' };

export interface MfaChallengeModel {
  $id: string;
  $createdAt: string;
  userId: string;
  expire: string;
}

/**
 * Opens a challenge for one factor the user has. Email and phone get a six-digit code,
 * stored only as its hash; TOTP and recovery codes are checked when the challenge is answered.
 */
export async function createMfaChallenge(deps: ServiceDeps, projectId: string, user: UserRow, factor: ChallengeFactor, locale: string | undefined): Promise<MfaChallengeModel> {
  await assertFactorAvailable(deps, projectId, user, factor);
  const now = new Date();
  const code = factor === 'email' || factor === 'phone' ? randomDigits(6) : undefined;
  const row: ChallengeRow = {
    id: uniqueId(),
    user_id: user.id,
    type: factor,
    code_hash: code === undefined ? '' : sha256(code),
    expire: formatDateTime(new Date(now.getTime() + CHALLENGE_SECONDS * 1000)),
    created_at: formatDateTime(now),
  };
  const store = deps.db.project(projectId);
  await deleteExpiredChallenges(store, user.id, row.created_at);
  await insertChallenge(store, row);
  if ((factor === 'email' || factor === 'phone') && code !== undefined) await deliverCode(deps, projectId, user, factor, code, locale);
  return { $id: row.id, $createdAt: row.created_at, userId: user.id, expire: row.expire };
}

/**
 * Answers a challenge. On success the challenge is used up, the factor joins the
 * session's proven factors and the session's mfa_updated_at moves to now.
 */
export async function completeMfaChallenge(
  deps: ServiceDeps,
  projectId: string,
  signedIn: AuthenticatedUser,
  challengeId: string,
  otp: string,
): Promise<SessionModel> {
  const session = requireCurrentSession(signedIn);
  const { user } = signedIn;
  const store = deps.db.project(projectId);
  const challenge = await findChallenge(store, user.id, challengeId);
  const factor = CHALLENGE_FACTORS.find((name) => name === challenge?.type);
  if (!challenge || !factor || Date.parse(challenge.expire) <= Date.now()) throw new AppError('user_invalid_token');
  if (!(await checkAnswer(deps, projectId, user, challenge, factor, otp))) throw new AppError('user_invalid_token');
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await consumeChallenge(trx, user.id, challenge.id))) throw new AppError('user_invalid_token');
    const updated = await creditSessionFactors(trx, session, [SESSION_FACTOR[factor]], true);
    const model = sessionModel(deps, updated, { currentSessionId: session.id });
    // Appwrite announces a completed challenge as the session's `create`: the session is now fully open.
    emit(userEvent(projectId, user.id, { sub: ['sessions', session.id], action: 'create', payload: model }));
    return model;
  });
}

async function checkAnswer(deps: ServiceDeps, projectId: string, user: UserRow, challenge: ChallengeRow, factor: ChallengeFactor, otp: string): Promise<boolean> {
  switch (factor) {
    case 'email':
    case 'phone':
      return equalSecrets(sha256(otp.trim()), challenge.code_hash);
    case 'totp': {
      const authenticator = await findAuthenticator(deps.db.project(projectId), user.id, 'totp');
      return authenticator?.verified === 1 && (await spendTotpCode(deps, projectId, user.id, authenticator, otp));
    }
    case 'recoverycode':
      return consumeRecoveryCode(deps, projectId, user, otp.trim().toLowerCase());
  }
}

async function assertFactorAvailable(deps: ServiceDeps, projectId: string, user: UserRow, factor: ChallengeFactor): Promise<void> {
  switch (factor) {
    case 'email':
      if (!user.email) throw new AppError('user_email_not_found');
      if (user.email_verified !== 1) throw new AppError('user_email_not_verified');
      return;
    case 'phone':
      if (!user.phone) throw new AppError('user_phone_not_found');
      if (user.phone_verified !== 1) throw new AppError('user_phone_not_verified');
      return;
    case 'totp': {
      const authenticator = await findAuthenticator(deps.db.project(projectId), user.id, 'totp');
      if (authenticator?.verified !== 1) throw new AppError('user_authenticator_not_found');
      return;
    }
    case 'recoverycode':
      if (readRecoveryCodes(deps.secretKey, user).length === 0) throw new AppError('user_recovery_codes_not_found');
  }
}

async function deliverCode(deps: ServiceDeps, projectId: string, user: UserRow, factor: 'email' | 'phone', code: string, locale: string | undefined): Promise<void> {
  const project = (await findProject(deps.db.platform, projectId))?.name ?? projectId;
  if (factor === 'phone') {
    await sendSms(deps, { projectId, to: user.phone!, text: `${code} is your ${project} verification code.` });
    return;
  }
  await sendTemplatedMail(deps, {
    projectId,
    template: 'mfaChallenge',
    ...(locale ? { locale } : {}),
    to: { email: user.email!, name: user.name },
    variables: { otp: code, user: user.name || user.email!, project },
  });
}
