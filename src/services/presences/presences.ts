import { formatDateTime, nowDateTime } from '../../core/datetime.js';
import { parseDateTimeInput } from '../../core/datetime-input.js';
import { AppError } from '../../core/errors.js';
import { resolveId } from '../../core/ids.js';
import { assertGrantable, DOCUMENT_PERMISSION_TYPES, grants, grantsOf, normalisePermissions } from '../../core/permissions.js';
import type { Caller } from '../../core/caller.js';
import { parseListQueries } from '../../core/queries.js';
import {
  deleteIfExpired,
  deletePresenceRow,
  extendPresences,
  listExpiredPresences,
  findActivePresence,
  listPresenceRows,
  PresenceConflictError,
  updatePresenceRow,
  upsertPresenceRow,
  type PresenceFields,
  type PresenceRow,
} from '../../data/project/presences.js';
import { findUserById } from '../../data/project/users.js';
import type { ServiceDeps } from '../deps.js';
import { commitWithEvents } from '../event-outbox.js';
import { presenceEvent } from './events.js';
import { toPresenceModel, type PresenceModel } from './models.js';

/** A presence lasts 15 minutes unless the app says otherwise, and at most 30 days. */
const DEFAULT_LIFETIME_MS = 15 * 60 * 1000;
const MAX_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * A realtime connection's presence lapses this long after its last sign of life (the SDK pings
 * every 20 s): a node that dies stops refreshing, and its users go offline on every other node.
 */
export const REALTIME_PRESENCE_LIFETIME_MS = 2 * 60 * 1000;
const SWEEP_BATCH = 100;

export const PRESENCE_QUERY_ATTRIBUTES = ['userInternalId', 'userId', 'expiry', 'expiresAt', 'status', 'source', '$sequence'];

export interface PresenceInput {
  userId?: string | null | undefined;
  status?: string | null | undefined;
  permissions?: string[] | null | undefined;
  expiresAt?: string | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
}

function parseExpiry(value: string): string {
  const date = parseDateTimeInput(value);
  const now = Date.now();
  if (!date || date.getTime() <= now || date.getTime() > now + MAX_LIFETIME_MS) {
    throw new AppError('general_argument_invalid', 'Invalid `expiresAt` param: Value must be valid date between now and 30 days from now.');
  }
  return formatDateTime(date);
}

/** Metadata keys never shadow the model's own fields. */
function cleanMetadata(metadata: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith('$'))));
}

/** Everyone's permissions on their own presence: read, update and delete. */
function ownerPermissions(userId: string): string[] {
  return [`delete("user:${userId}")`, `read("user:${userId}")`, `update("user:${userId}")`];
}

function permissionsFor(caller: Caller, requested: string[]): string[] {
  const permissions = normalisePermissions(requested, DOCUMENT_PERMISSION_TYPES);
  assertGrantable(caller, permissions);
  return permissions.sort();
}

/** Whose presence a request speaks for: a key names the user, a user speaks for themself. */
async function resolveUser(deps: ServiceDeps, projectId: string, caller: Caller, userId: string | null | undefined): Promise<string> {
  if (userId && !caller.actsForProject) throw new AppError('general_unauthorized_scope', 'userId is not allowed for non-API key and non-privileged users');
  if (!userId) {
    if (caller.actsForProject) throw new AppError('general_bad_request', 'userId is required for API key authentication');
    if (!caller.userId) throw new AppError('general_unauthorized_scope');
    return caller.userId;
  }
  if (!(await findUserById(deps.db.project(projectId), userId))) throw new AppError('user_not_found');
  return userId;
}

/** Sets the user's presence: creates it under `presenceId`, or updates the one they have. */
export async function upsertPresence(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  presenceId: string,
  input: PresenceInput & { status: string },
  source: 'rest' | 'graphql' | 'realtime' = 'rest',
): Promise<PresenceModel> {
  const userId = await resolveUser(deps, projectId, caller, input.userId);
  const permissions = input.permissions == null ? ownerPermissions(userId) : permissionsFor(caller, input.permissions);
  const now = nowDateTime();
  const fields: PresenceFields = {
    user_id: userId,
    status: input.status,
    source,
    expires_at: input.expiresAt
      ? parseExpiry(input.expiresAt)
      : formatDateTime(new Date(Date.now() + (source === 'realtime' ? REALTIME_PRESENCE_LIFETIME_MS : DEFAULT_LIFETIME_MS))),
    metadata: cleanMetadata(input.metadata ?? {}),
    permissions: JSON.stringify(permissions),
    updated_at: now,
  };
  const id = resolveId(presenceId);
  await sweepExpiredPresences(deps, projectId);
  try {
    const row = await commitWithEvents(deps, projectId, async (trx, emit) => {
      const { row } = await upsertPresenceRow(trx, id, fields, grantsOf(permissions), now);
      emit(presenceEvent(projectId, row, 'upsert'));
      return row;
    });
    return toPresenceModel(row);
  } catch (error) {
    if (error instanceof PresenceConflictError) throw new AppError('presence_already_exists', undefined, { params: [id] });
    throw error;
  }
}

/** The active presence if the caller may read it; not found otherwise, so its existence stays hidden. */
async function requireReadable(deps: ServiceDeps, projectId: string, caller: Caller, presenceId: string): Promise<PresenceRow> {
  const row = await findActivePresence(deps.db.project(projectId), presenceId, nowDateTime());
  if (!row || (!caller.actsForProject && !grants(JSON.parse(row.permissions) as string[], 'read', caller.roles))) throw new AppError('presence_not_found');
  return row;
}

function assertAllowed(caller: Caller, row: PresenceRow, type: 'update' | 'delete'): void {
  if (caller.actsForProject || grants(JSON.parse(row.permissions) as string[], type, caller.roles)) return;
  throw new AppError('user_unauthorized');
}

export async function getPresence(deps: ServiceDeps, projectId: string, caller: Caller, presenceId: string): Promise<PresenceModel> {
  return toPresenceModel(await requireReadable(deps, projectId, caller, presenceId));
}

/** Active presences the caller may read (every one for a key). */
export async function listPresences(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  input: { queries: string[]; total: boolean },
): Promise<{ total: number; presences: PresenceModel[] }> {
  const list = parseListQueries(input.queries, { attributes: PRESENCE_QUERY_ATTRIBUTES });
  await sweepExpiredPresences(deps, projectId);
  const page = await listPresenceRows(deps.db.project(projectId), list, {
    total: input.total,
    now: nowDateTime(),
    ...(caller.actsForProject ? {} : { readableBy: caller.roles }),
  });
  return { total: page.total, presences: page.rows.map(toPresenceModel) };
}

/** Changes the given fields; a key may hand the presence to another user, who then owns it. */
export async function updatePresence(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  presenceId: string,
  input: PresenceInput,
): Promise<PresenceModel> {
  if (input.userId && !caller.actsForProject) throw new AppError('general_unauthorized_scope', 'userId is not allowed for non-API key and non-privileged users');
  const row = await requireReadable(deps, projectId, caller, presenceId);
  assertAllowed(caller, row, 'update');
  const changes: Partial<PresenceFields> = {};
  let permissions: string[] | undefined;
  if (input.userId) changes.user_id = await resolveUser(deps, projectId, caller, input.userId);
  if (input.status != null) changes.status = input.status;
  if (input.expiresAt != null) changes.expires_at = parseExpiry(input.expiresAt);
  if (input.metadata != null) changes.metadata = cleanMetadata(input.metadata);
  if (input.permissions != null) permissions = permissionsFor(caller, input.permissions);
  else if (changes.user_id !== undefined && changes.user_id !== row.user_id) permissions = ownerPermissions(changes.user_id);
  if (Object.keys(changes).length === 0 && permissions === undefined) return toPresenceModel(row);
  if (permissions) changes.permissions = JSON.stringify(permissions);
  changes.updated_at = nowDateTime();
  try {
    const updated = await commitWithEvents(deps, projectId, async (trx, emit) => {
      const updated = await updatePresenceRow(trx, row.seq, changes, permissions ? grantsOf(permissions) : undefined);
      emit(presenceEvent(projectId, updated, 'update'));
      return updated;
    });
    return toPresenceModel(updated);
  } catch (error) {
    if (error instanceof PresenceConflictError) throw new AppError('presence_already_exists', undefined, { params: [presenceId] });
    throw error;
  }
}

export async function deletePresence(deps: ServiceDeps, projectId: string, caller: Caller, presenceId: string): Promise<void> {
  const row = await requireReadable(deps, projectId, caller, presenceId);
  assertAllowed(caller, row, 'delete');
  await deletePresenceWithEvent(deps, projectId, row);
}

async function deletePresenceWithEvent(deps: ServiceDeps, projectId: string, row: PresenceRow): Promise<void> {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await deletePresenceRow(trx, row.seq);
    emit(presenceEvent(projectId, row, 'delete'));
  });
}

/**
 * Ends the presences a realtime connection set, when it closes: each one still held by the
 * same user is deleted, and its readers get the delete event.
 */
export async function endConnectionPresences(deps: ServiceDeps, projectId: string, userId: string, presenceIds: readonly string[]): Promise<void> {
  const db = deps.db.project(projectId);
  for (const id of presenceIds) {
    const row = await findActivePresence(db, id, nowDateTime());
    if (!row || row.user_id !== userId || row.source !== 'realtime') continue;
    await deletePresenceWithEvent(deps, projectId, row);
  }
}

/**
 * Ends presences whose time ran out, each with its delete event, a batch at a time. Reads hide
 * expired presences anyway; the sweep runs on the project's next presence write or list, on
 * whichever node serves it, so the readers learn that those users left.
 */
export async function sweepExpiredPresences(deps: ServiceDeps, projectId: string): Promise<number> {
  const db = deps.db.project(projectId);
  const now = nowDateTime();
  let ended = 0;
  for (const row of await listExpiredPresences(db, now, SWEEP_BATCH)) {
    const deleted = await commitWithEvents(deps, projectId, async (trx, emit) => {
      if (!(await deleteIfExpired(trx, row.seq, now))) return false;
      emit(presenceEvent(projectId, row, 'delete'));
      return true;
    });
    if (deleted) ended++;
  }
  return ended;
}

/** Keeps a live realtime connection's presences from lapsing. */
export async function keepPresencesAlive(deps: ServiceDeps, projectId: string, userId: string, presenceIds: readonly string[]): Promise<void> {
  await extendPresences(deps.db.project(projectId), userId, presenceIds, formatDateTime(new Date(Date.now() + REALTIME_PRESENCE_LIFETIME_MS)));
}
