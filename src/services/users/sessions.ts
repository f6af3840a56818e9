import { encryptValue, decryptValue } from '../../core/crypto.js';
import { formatDateTime } from '../../core/datetime.js';
import { uniqueId } from '../../core/ids.js';
import { randomSecret, sha256 } from '../../core/secrets.js';
import { insertSession, trimUserSessions } from '../../data/project/sessions.js';
import type { SessionRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { sendSessionAlert } from './session-alerts.js';
import { recordAuthActivity, type ActivitySource } from './auth-logs.js';
import { userEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import { toSessionModel, type SessionModel } from './models.js';
import { readSessionPolicy } from './session-policy.js';
import { encodeSessionToken } from '../../auth/session-token.js';

export interface NewSession {
  /** `email`, `anonymous`, `magic-url`, `token`, `phone`, `server`, or an OAuth2 provider. */
  provider: string;
  providerUid?: string;
  providerAccessToken?: string;
  providerAccessTokenExpiry?: string;
  providerRefreshToken?: string;
  /** Factors this sign-in proved: `password`, `email`, `phone`, `token` … */
  factors: string[];
}

export interface IssuedSession {
  row: SessionRow;
  /** What the cookie and `X-Appwrite-Session` carry. */
  token: string;
  expiresAt: Date;
}

/**
 * Opens a session for a user: a fresh 512-bit secret stored only as its hash, the
 * project's session length and limit applied, the activity logged and the event published.
 */
export async function issueSession(
  deps: ServiceDeps,
  projectId: string,
  user: UserRow,
  source: ActivitySource,
  session: NewSession,
): Promise<IssuedSession> {
  const policy = await readSessionPolicy(deps, projectId);
  const secret = randomSecret();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + policy.durationSeconds * 1000);
  const row: SessionRow = {
    id: uniqueId(),
    user_id: user.id,
    secret_hash: sha256(secret),
    provider: session.provider,
    provider_uid: session.providerUid ?? user.email ?? '',
    provider_access_token: session.providerAccessToken ? encryptValue(deps.secretKey, session.providerAccessToken) : '',
    provider_access_token_expiry: session.providerAccessTokenExpiry ?? '',
    provider_refresh_token: session.providerRefreshToken ? encryptValue(deps.secretKey, session.providerRefreshToken) : '',
    ip: source.ip,
    user_agent: source.userAgent,
    factors: JSON.stringify(session.factors),
    mfa_updated_at: null,
    expire: formatDateTime(expiresAt),
    created_at: formatDateTime(now),
    updated_at: formatDateTime(now),
  };
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await insertSession(trx, row);
    if (policy.limit > 0) await trimUserSessions(trx, user.id, policy.limit);
    emit(userEvent(projectId, user.id, { sub: ['sessions', row.id], action: 'create', payload: sessionModel(deps, row, { currentSessionId: row.id }) }));
  });
  await recordAuthActivity(deps, projectId, user, 'session.create', source);
  await sendSessionAlert(deps, projectId, user, row);
  return { row, token: encodeSessionToken(user.id, secret), expiresAt };
}

/** The session model, its provider tokens decrypted; `secret` only when the caller may see it. */
export function sessionModel(deps: ServiceDeps, row: SessionRow, options: { currentSessionId?: string; secret?: string }): SessionModel {
  return toSessionModel(row, { ...options, reveal: (encrypted) => decryptValue(deps.secretKey, encrypted) });
}

