import { randomBytes } from 'node:crypto';
import { formatDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { sha256 } from '../../core/secrets.js';
import { deleteSession, deleteUserSessions, findSession, listUserSessions } from '../../data/project/sessions.js';
import { insertToken } from '../../data/project/tokens.js';
import type { SessionRow, TokenRow, UserRow } from '../../data/tables.js';
import { JWT_DEFAULT_SECONDS, signUserJwt } from '../../auth/jwt.js';
import { issueSession, sessionModel } from './sessions.js';
import type { ServiceDeps } from '../deps.js';
import { recordAuthActivity, type ActivitySource } from './auth-logs.js';
import { userEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { toTokenModel } from './models.js';

/** Generic tokens for custom sign-in flows: 6 characters and 15 minutes unless asked otherwise. */
export const TOKEN_DEFAULT_LENGTH = 6;
export const TOKEN_DEFAULT_SECONDS = 900;

export async function listManagedSessions(deps: ServiceDeps, projectId: string, userId: string, total: boolean) {
  const now = Date.now();
  const rows = (await listUserSessions(deps.db.project(projectId), userId)).filter((row) => Date.parse(row.expire) > now);
  return { total: total ? rows.length : 0, sessions: rows.map((row) => sessionModel(deps, row, {})) };
}

/** A session opened by a server for the user; the secret goes back to that server. */
export async function createServerSession(deps: ServiceDeps, projectId: string, user: UserRow, source: ActivitySource) {
  const issued = await issueSession(deps, projectId, user, source, { provider: 'server', providerUid: '', factors: ['server'] });
  return sessionModel(deps, issued.row, { secret: issued.token });
}

export async function deleteManagedSession(deps: ServiceDeps, projectId: string, user: UserRow, sessionId: string, source: ActivitySource) {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await findSession(trx, user.id, sessionId);
    if (!row || !(await deleteSession(trx, user.id, sessionId))) throw new AppError('user_session_not_found');
    emit(sessionDeleted(deps, projectId, row));
  });
  await recordAuthActivity(deps, projectId, user, 'session.delete', source);
}

export async function deleteManagedSessions(deps: ServiceDeps, projectId: string, user: UserRow, source: ActivitySource) {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    const rows = await listUserSessions(trx, user.id);
    await deleteUserSessions(trx, user.id);
    for (const row of rows) emit(sessionDeleted(deps, projectId, row));
  });
  await recordAuthActivity(deps, projectId, user, 'session.delete', source);
}

function sessionDeleted(deps: ServiceDeps, projectId: string, row: SessionRow): PlinthEvent {
  return userEvent(projectId, row.user_id, { sub: ['sessions', row.id], action: 'delete', payload: sessionModel(deps, row, {}) });
}

/**
 * A generic token the user (or the server's client) exchanges for a session at
 * `/account/sessions/token`. The secret is shown once; only its SHA-256 is kept.
 */
export async function createGenericToken(
  deps: ServiceDeps,
  projectId: string,
  user: UserRow,
  options: { length: number; seconds: number },
  source: ActivitySource,
) {
  const secret = randomBytes(Math.ceil(options.length / 2)).toString('hex').slice(0, options.length);
  const now = new Date();
  const row: TokenRow = {
    id: uniqueId(),
    user_id: user.id,
    type: 'generic',
    secret_hash: sha256(secret),
    expire: formatDateTime(new Date(now.getTime() + options.seconds * 1000)),
    ip: source.ip,
    user_agent: source.userAgent,
    created_at: formatDateTime(now),
  };
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await insertToken(trx, row);
    emit(userEvent(projectId, user.id, { sub: ['tokens', row.id], action: 'create', payload: toTokenModel(row, '') }));
  });
  return toTokenModel(row, secret);
}

/**
 * A JWT acting as the user, tied to one of their sessions: the given one, or with '' or
 * `recent` their newest (none when they have no session, so the JWT stands alone).
 */
export async function createManagedJwt(deps: ServiceDeps, projectId: string, user: UserRow, sessionId: string, seconds: number) {
  let boundTo = '';
  if (sessionId === '' || sessionId === 'recent') {
    const now = Date.now();
    const live = (await listUserSessions(deps.db.project(projectId), user.id)).filter((row) => Date.parse(row.expire) > now);
    boundTo = live[0]?.id ?? '';
  } else {
    const row = await findSession(deps.db.project(projectId), user.id, sessionId);
    if (!row || Date.parse(row.expire) <= Date.now()) throw new AppError('user_session_not_found');
    boundTo = row.id;
  }
  const jwt = await signUserJwt(deps.secretKey, projectId, { userId: user.id, sessionId: boundTo }, seconds || JWT_DEFAULT_SECONDS);
  return { jwt };
}
