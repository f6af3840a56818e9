import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId, uniqueId } from '../../core/ids.js';
import type { ParsedList } from '../../core/queries.js';
import {
  deleteTarget,
  findUserTarget,
  findUserTargetOfType,
  insertTarget,
  listTargetsOfUsers,
  updateTarget,
} from '../../data/project/targets.js';
import { listTargetRows } from '../../data/project/user-lists.js';
import type { Transaction } from 'kysely';
import type { ProjectTables, TargetRow, UserRow } from '../../data/tables.js';
import { findProvider } from '../../data/messaging/providers.js';
import type { ServiceDeps } from '../deps.js';
import { toTargetModel } from './admin-models.js';
import { userEvent } from './events.js';
import { commitWithEvents, type Emit } from '../event-outbox.js';
import { againIfDuplicate } from '../../data/duplicates.js';

type Store = Transaction<ProjectTables>;

export type ProviderType = 'email' | 'sms' | 'push';

export interface NewTarget {
  targetId: string;
  providerType: ProviderType;
  identifier: string;
  providerId?: string;
  name?: string;
}

/** Appwrite's longest identifier; a Web Push subscription (JSON with its keys) may be longer. */
export const MAX_IDENTIFIER = 320;
export const MAX_WEB_PUSH_IDENTIFIER = 2048;

/** Refuses an identifier longer than Appwrite's unless it is for a `webpush` provider. */
async function assertIdentifierLength(deps: ServiceDeps, projectId: string, identifier: string, providerId: string | null): Promise<void> {
  if (identifier.length <= MAX_IDENTIFIER) return;
  const provider = providerId ? await findProvider(deps.db.project(projectId), providerId) : undefined;
  if (provider?.provider === 'webpush' && identifier.length <= MAX_WEB_PUSH_IDENTIFIER) return;
  throw new AppError(
    'general_argument_invalid',
    `Invalid \`identifier\` param: Value must be a valid string and no longer than ${MAX_IDENTIFIER} chars (${MAX_WEB_PUSH_IDENTIFIER} for a webpush provider's targets)`,
  );
}

export async function createTarget(deps: ServiceDeps, projectId: string, user: UserRow, input: NewTarget) {
  const id = resolveId(input.targetId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', 'Invalid `targetId` param: not a valid ID.');
  await assertIdentifierLength(deps, projectId, input.identifier, input.providerId || null);
  const now = nowDateTime();
  const row: TargetRow = {
    id,
    user_id: user.id,
    name: input.name ?? '',
    provider_id: input.providerId || null,
    provider_type: input.providerType,
    identifier: input.identifier,
    expired: 0,
    created_at: now,
    updated_at: now,
  };
  const model = toTargetModel(row);
  await againIfDuplicate(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      if (await insertTarget(trx, row)) throw new AppError('user_target_already_exists');
      emit(userEvent(projectId, user.id, { sub: ['targets', id], action: 'create', payload: model }));
    }),
  );
  return model;
}

export async function requireTarget(deps: ServiceDeps, projectId: string, userId: string, targetId: string): Promise<TargetRow> {
  const row = await findUserTarget(deps.db.project(projectId), userId, targetId);
  if (!row) throw new AppError('user_target_not_found');
  return row;
}

export async function listTargets(deps: ServiceDeps, projectId: string, userId: string, list: ParsedList, total: boolean) {
  const page = await listTargetRows(deps.db.project(projectId), userId, list, { total });
  return { total: page.total, targets: page.rows.map(toTargetModel) };
}

export async function changeTarget(
  deps: ServiceDeps,
  projectId: string,
  row: TargetRow,
  input: { identifier?: string; providerId?: string; name?: string },
) {
  const providerId = input.providerId !== undefined ? input.providerId || null : row.provider_id;
  await assertIdentifierLength(deps, projectId, input.identifier ?? row.identifier, providerId);
  const changes = {
    ...(input.identifier !== undefined ? { identifier: input.identifier, expired: 0 } : {}),
    ...(input.providerId !== undefined ? { provider_id: input.providerId || null } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
    updated_at: nowDateTime(),
  };
  const model = toTargetModel({ ...row, ...changes });
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (await updateTarget(trx, row.id, changes)) throw new AppError('user_target_already_exists');
    emit(userEvent(projectId, row.user_id, { sub: ['targets', row.id], action: 'update', payload: model }));
  });
  return model;
}

export async function removeTarget(deps: ServiceDeps, projectId: string, row: TargetRow): Promise<void> {
  await commitWithEvents(deps, projectId, (trx, emit) => removeTargetIn(trx, emit, projectId, row));
}

async function removeTargetIn(trx: Store, emit: Emit, projectId: string, row: TargetRow): Promise<void> {
  if (!(await deleteTarget(trx, row.id))) throw new AppError('user_target_not_found');
  emit(userEvent(projectId, row.user_id, { sub: ['targets', row.id], action: 'delete', payload: toTargetModel(row) }));
}

export async function targetsOfUsers(deps: ServiceDeps, projectId: string, userIds: readonly string[]): Promise<TargetRow[]> {
  return listTargetsOfUsers(deps.db.project(projectId), userIds);
}

/**
 * Keeps a user's email and sms targets in step with their email and phone: created when
 * one is set, re-pointed when it changes, removed when it is cleared. Another account's
 * target already holding the address is left alone (the address then gets no target).
 */
export async function syncContactTargets(trx: Store, emit: Emit, projectId: string, user: UserRow): Promise<void> {
  await syncContactTarget(trx, emit, projectId, user, 'email', user.email);
  await syncContactTarget(trx, emit, projectId, user, 'sms', user.phone);
}

async function syncContactTarget(store: Store, emit: Emit, projectId: string, user: UserRow, type: 'email' | 'sms', identifier: string | null) {
  const existing = await findUserTargetOfType(store, user.id, type);
  if (!identifier) {
    if (existing) await removeTargetIn(store, emit, projectId, existing);
    return;
  }
  if (existing?.identifier === identifier) return;
  if (existing) {
    const changes = { identifier, expired: 0, updated_at: nowDateTime() };
    if (!(await updateTarget(store, existing.id, changes))) {
      const model = toTargetModel({ ...existing, ...changes });
      emit(userEvent(projectId, user.id, { sub: ['targets', existing.id], action: 'update', payload: model }));
    }
    return;
  }
  const now = nowDateTime();
  const row: TargetRow = {
    id: uniqueId(),
    user_id: user.id,
    name: '',
    provider_id: null,
    provider_type: type,
    identifier,
    expired: 0,
    created_at: now,
    updated_at: now,
  };
  if (!(await insertTarget(store, row))) {
    emit(userEvent(projectId, user.id, { sub: ['targets', row.id], action: 'create', payload: toTargetModel(row) }));
  }
}
