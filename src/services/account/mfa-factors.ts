import type { Kysely } from 'kysely';
import type { ProjectTables } from '../../data/tables.js';
import { formatDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { findAuthenticator } from '../../data/project/authenticators.js';
import { updateSession } from '../../data/project/sessions.js';
import type { SessionRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { recordAuthActivity, type ActivitySource } from '../users/index.js';
import type { UserModel } from '../users/index.js';
import { saveUserChanges } from '../users/index.js';
import { accountModel } from './account.js';
import type { AuthenticatedUser } from '../../auth/authenticate-user.js';

/** Factor names as sessions record them (and as Appwrite's session model shows them). */
export type SessionFactor = 'totp' | 'email' | 'phone' | 'recoveryCode';

/** How recent a challenge must be for the routes that change the factors themselves. */
const RECENT_CHALLENGE_MS = 5 * 60 * 1000;

export interface MfaFactorsModel {
  totp: boolean;
  phone: boolean;
  email: boolean;
  recoveryCode: boolean;
}

/** Which second factors the user could prove right now. */
export async function listMfaFactors(deps: ServiceDeps, projectId: string, user: UserRow): Promise<MfaFactorsModel> {
  const authenticator = await findAuthenticator(deps.db.project(projectId), user.id, 'totp');
  return {
    totp: authenticator?.verified === 1,
    phone: user.phone !== null && user.phone_verified === 1,
    email: user.email !== null && user.email_verified === 1,
    recoveryCode: user.mfa_recovery_codes !== null,
  };
}

/** The session the MFA routes act on; a JWT minted without one has no factors to add to. */
export function requireCurrentSession(signedIn: AuthenticatedUser): SessionRow {
  if (!signedIn.session) throw new AppError('user_session_not_found');
  return signedIn.session;
}

/**
 * Adds proven factors to a session. `challenged` also stamps mfa_updated_at, which the
 * routes that change factors read to ask for a recent proof.
 */
export async function creditSessionFactors(
  store: Kysely<ProjectTables>,
  session: SessionRow,
  factors: readonly string[],
  challenged: boolean,
): Promise<SessionRow> {
  const merged = [...new Set([...(JSON.parse(session.factors) as string[]), ...factors])];
  const now = formatDateTime(new Date());
  const changes = { factors: JSON.stringify(merged), updated_at: now, ...(challenged ? { mfa_updated_at: now } : {}) };
  await updateSession(store, session.id, changes);
  return { ...session, ...changes };
}

/** Changing the factors themselves needs a challenge completed in this session within five minutes. */
export function assertRecentChallenge(session: SessionRow, now = Date.now()): void {
  const last = session.mfa_updated_at === null ? Number.NaN : Date.parse(session.mfa_updated_at);
  if (!(now - last <= RECENT_CHALLENGE_MS)) throw new AppError('user_challenge_required');
}

/**
 * Turns MFA on or off. Turning it on credits the current session with the factors the
 * user already has: the session was fully trusted a moment ago and should not lock itself out.
 */
export async function updateMfa(deps: ServiceDeps, projectId: string, signedIn: AuthenticatedUser, enabled: boolean, source: ActivitySource): Promise<UserModel> {
  const saved = await saveUserChanges(deps, projectId, signedIn.user, { mfa: enabled ? 1 : 0 }, { attribute: 'mfa', conflicts: 'generic' });
  if (enabled && signedIn.session) {
    const factors = await listMfaFactors(deps, projectId, saved);
    const owned = (['totp', 'email', 'phone'] as const).filter((factor) => factors[factor]);
    if (owned.length > 0) await creditSessionFactors(deps.db.project(projectId), signedIn.session, owned, false);
  }
  await recordAuthActivity(deps, projectId, saved, 'user.update', source);
  return accountModel(saved);
}
