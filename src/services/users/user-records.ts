import { nowDateTime } from '../../core/datetime.js';
import { POLICY_SETTINGS } from '../../core/policy-settings.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { readProjectSetting } from '../../data/platform/settings.js';
import { countUsers, findUserById, insertUser, updateUser, type UserChanges, type UserConflict } from '../../data/project/users.js';
import type { ProjectTables, UserRow } from '../../data/tables.js';
import { hashPassword, type StoredPassword } from '../../infra/hashing/passwords.js';
import type { ServiceDeps } from '../deps.js';
import { userEvent } from './events.js';
import { commitWithEvents, type Emit } from '../event-outbox.js';
import type { Transaction } from 'kysely';
import { againIfDuplicate } from '../../data/duplicates.js';
import { toUserModel } from './models.js';
import { syncContactTargets } from './targets.js';
import { checkFirstPassword } from './password-policy.js';
import { assertEmailAllowed } from './email-policy.js';
import { admitConsoleSignUp, CONSOLE_PROJECT, noteAdministratorCreated, type ConsoleSignUpPath } from './console-sign-up.js';

export interface NewUser {
  userId: string;
  email?: string | null;
  phone?: string | null;
  /** A plain password, hashed with argon2id here. */
  password?: string | null;
  /** A hash imported from another system, kept as it is. */
  hashed?: StoredPassword;
  name?: string | null;
}

/** How a unique clash is reported: the Users API names the field, sign-up does not. */
export type ConflictErrors = 'generic' | 'specific';

const CUSTOM_ID_RULES =
  'Invalid `userId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char';

/** The lower-cased text `search` matches against. */
export function userSearchText(row: Pick<UserRow, 'id' | 'name' | 'email' | 'phone'>): string {
  return [row.id, row.name, row.email ?? '', row.phone ?? ''].join(' ').toLowerCase();
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates a user; the caller has validated the parameters' shapes. */
export async function createUser(
  deps: ServiceDeps,
  projectId: string,
  input: NewUser,
  conflicts: ConflictErrors,
  path: ConsoleSignUpPath = { via: 'self' },
): Promise<UserRow> {
  const id = resolveId(input.userId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', CUSTOM_ID_RULES);
  const base = { id, name: input.name ?? '', email: input.email ? normaliseEmail(input.email) : null, phone: input.phone ?? null };
  // Who may become an administrator is the server's policy, not a project setting.
  const undoSignUp = projectId === CONSOLE_PROJECT && conflicts === 'generic' ? await admitConsoleSignUp(deps, base.email, path) : undefined;
  try {
    const row = await insertNewUser(deps, projectId, input, conflicts, base);
    if (projectId === CONSOLE_PROJECT) await noteAdministratorCreated(deps);
    return row;
  } catch (error) {
    await undoSignUp?.();
    throw error;
  }
}

async function insertNewUser(
  deps: ServiceDeps,
  projectId: string,
  input: NewUser,
  conflicts: ConflictErrors,
  base: Pick<UserRow, 'id' | 'name' | 'email' | 'phone'>,
): Promise<UserRow> {
  const { id } = base;
  if (conflicts === 'generic') await assertRoomForUser(deps, projectId);
  if (base.email) await assertEmailAllowed(deps, projectId, base.email);
  if (input.password && !input.hashed) await checkFirstPassword(deps, projectId, base, input.password);
  const now = nowDateTime();
  const password = input.hashed ?? (input.password ? await hashPassword(input.password) : undefined);
  const row: UserRow = {
    ...base,
    password_hash: password?.hash ?? null,
    hash_algorithm: password?.algorithm ?? null,
    hash_options: password ? JSON.stringify(password.options) : null,
    password_updated_at: password ? now : null,
    password_history: '[]',
    status: 1,
    labels: '[]',
    prefs: '{}',
    email_verified: 0,
    phone_verified: 0,
    mfa: 0,
    mfa_recovery_codes: null,
    impersonator: 0,
    accessed_at: now,
    search: userSearchText(base),
    registered_at: now,
    created_at: now,
    updated_at: now,
  };
  await againIfDuplicate(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      const conflict = await insertUser(trx, row);
      if (conflict) throw conflictError(conflict, conflicts);
      // Every user reachable by mail or SMS has a target for it, however they signed up.
      await syncContactTargets(trx, emit, projectId, row);
      emit(userEvent(projectId, id, { action: 'create', payload: toUserModel(row, { withPassword: false }) }));
    }),
  );
  return row;
}

/**
 * The user-limit policy stops sign-ups (the `generic` callers: account, sessions, OAuth,
 * invitations) once the project holds that many users. Appwrite describes it as a limit on
 * sign-ups, so the Users API (a server with a key) may still create users.
 */
export async function assertRoomForUser(deps: ServiceDeps, projectId: string): Promise<void> {
  const limit = await readProjectSetting(deps.db.platform, projectId, POLICY_SETTINGS.userLimit);
  if (typeof limit !== 'number' || limit <= 0) return;
  if ((await countUsers(deps.db.project(projectId))) >= limit) throw new AppError('user_count_exceeded');
}

export async function requireUser(deps: ServiceDeps, projectId: string, userId: string): Promise<UserRow> {
  const row = await findUserById(deps.db.project(projectId), userId);
  if (!row) throw new AppError('user_not_found');
  return row;
}

/**
 * Saves changes to a user, keeping the search text in step, and publishes
 * `users.ID.update[.attribute]`. Returns the user as stored.
 */
export async function saveUserChanges(
  deps: ServiceDeps,
  projectId: string,
  user: UserRow,
  changes: Omit<UserChanges, 'updated_at'>,
  event: { attribute?: string; conflicts: ConflictErrors },
): Promise<UserRow> {
  if (changes.email && changes.email !== user.email) await assertEmailAllowed(deps, projectId, changes.email);
  return againIfDuplicate(() => commitWithEvents(deps, projectId, (trx, emit) => saveUserChangesIn(trx, emit, projectId, user, changes, event)));
}

/**
 * The same inside a larger change, whose transaction it writes in (a new email already
 * checked against the project's rules). Wrap the change in againIfDuplicate.
 */
export async function saveUserChangesIn(
  trx: Transaction<ProjectTables>,
  emit: Emit,
  projectId: string,
  user: UserRow,
  changes: Omit<UserChanges, 'updated_at'>,
  event: { attribute?: string; conflicts: ConflictErrors },
): Promise<UserRow> {
  const next: UserRow = { ...user, ...changes, updated_at: nowDateTime() };
  next.search = userSearchText(next);
  const stored: UserChanges = { ...changes, updated_at: next.updated_at, search: next.search };
  const outcome = await updateUser(trx, user.id, stored);
  if (outcome === 'missing') throw new AppError('user_not_found');
  if (outcome) throw conflictError(outcome, event.conflicts);
  if ('email' in changes || 'phone' in changes) await syncContactTargets(trx, emit, projectId, next);
  emit(
    userEvent(projectId, user.id, {
      action: 'update',
      ...(event.attribute ? { attribute: event.attribute } : {}),
      payload: toUserModel(next, { withPassword: false }),
    }),
  );
  return next;
}

function conflictError(conflict: UserConflict, conflicts: ConflictErrors): AppError {
  if (conflicts === 'generic' || conflict === 'id') return new AppError('user_already_exists');
  return new AppError(conflict === 'email' ? 'user_email_already_exists' : 'user_phone_already_exists');
}
