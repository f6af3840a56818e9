import { formatDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { deleteSession, deleteUserSessions, findSession, listUserSessions, updateSession } from '../../data/project/sessions.js';
import type { SessionRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { recordAuthActivity, type ActivitySource } from '../users/index.js';
import { userEvent } from '../users/index.js';
import { commitWithEvents } from '../event-outbox.js';
import { readSessionPolicy } from '../users/index.js';
import { sessionModel } from '../users/index.js';

/** `current` in a session path means the session the request itself uses. */
export function resolveSessionId(sessionId: string, currentSessionId: string | undefined): string {
  if (sessionId !== 'current') return sessionId;
  if (!currentSessionId) throw new AppError('user_session_not_found');
  return currentSessionId;
}

export async function listSessions(deps: ServiceDeps, projectId: string, userId: string, currentSessionId?: string) {
  const rows = await listUserSessions(deps.db.project(projectId), userId);
  const now = Date.now();
  const live = rows.filter((row) => Date.parse(row.expire) > now);
  return { total: live.length, sessions: live.map((row) => sessionModel(deps, row, { currentSessionId })) };
}

export async function requireSession(deps: ServiceDeps, projectId: string, userId: string, sessionId: string): Promise<SessionRow> {
  const row = await findSession(deps.db.project(projectId), userId, sessionId);
  if (!row || Date.parse(row.expire) <= Date.now()) throw new AppError('user_session_not_found');
  return row;
}

/** Extends a session by the project's session length from now. */
export async function extendSession(deps: ServiceDeps, projectId: string, row: SessionRow, currentSessionId?: string) {
  const policy = await readSessionPolicy(deps, projectId);
  const now = new Date();
  const changes = { expire: formatDateTime(new Date(now.getTime() + policy.durationSeconds * 1000)), updated_at: formatDateTime(now) };
  const model = sessionModel(deps, { ...row, ...changes }, { currentSessionId });
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await updateSession(trx, row.id, changes);
    emit(userEvent(projectId, row.user_id, { sub: ['sessions', row.id], action: 'update', payload: model }));
  });
  return model;
}

export async function endSession(deps: ServiceDeps, projectId: string, user: UserRow, row: SessionRow, source: ActivitySource): Promise<void> {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteSession(trx, user.id, row.id))) throw new AppError('user_session_not_found');
    emit(userEvent(projectId, user.id, { sub: ['sessions', row.id], action: 'delete', payload: sessionModel(deps, row, {}) }));
  });
  await recordAuthActivity(deps, projectId, user, 'session.delete', source);
}

/** Ends every session of the user, the current one included. */
export async function endAllSessions(deps: ServiceDeps, projectId: string, user: UserRow, source: ActivitySource): Promise<void> {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    const sessions = await listUserSessions(trx, user.id);
    await deleteUserSessions(trx, user.id);
    for (const row of sessions) emit(userEvent(projectId, user.id, { sub: ['sessions', row.id], action: 'delete', payload: sessionModel(deps, row, {}) }));
  });
  await recordAuthActivity(deps, projectId, user, 'session.delete', source);
}
