import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { parseListQueries, type ParsedList } from '../../core/queries.js';
import type { UserChanges } from '../../data/project/users.js';
import { deleteUserWithDependents, listUserRows, USER_LIST } from '../../data/project/user-lists.js';
import type { TargetRow, UserRow } from '../../data/tables.js';
import type { StoredPassword } from '../../infra/hashing/passwords.js';
import type { ServiceDeps } from '../deps.js';
import { toAdminUserModel } from './admin-models.js';
import { userEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import { endSessionsAfterPasswordChange, newPasswordColumns, prepareNewPassword } from './password-policy.js';
import { targetsOfUsers } from './targets.js';
import { createUser, normaliseEmail, requireUser, saveUserChanges } from './user-records.js';

/** Attributes `GET /users` queries may name. */
export const USER_QUERY_ATTRIBUTES = Object.keys(USER_LIST.columns);

export async function adminUserModel(deps: ServiceDeps, projectId: string, row: UserRow) {
  return toAdminUserModel(row, await targetsOfUsers(deps, projectId, [row.id]));
}

export interface ManagedUserInput {
  userId: string;
  email?: string | undefined;
  phone?: string | undefined;
  password?: string | undefined;
  name?: string | undefined;
  /** A password hash imported from another system. */
  hashed?: StoredPassword;
}

/** Creates a user for a server, naming the clashing field, with email and sms targets for their contacts. */
export async function createManagedUser(deps: ServiceDeps, projectId: string, input: ManagedUserInput) {
  const row = await createUser(
    deps,
    projectId,
    {
      userId: input.userId,
      email: input.email || null,
      phone: input.phone || null,
      password: input.password || null,
      name: input.name ?? null,
      ...(input.hashed ? { hashed: input.hashed } : {}),
    },
    'specific',
  );
  return adminUserModel(deps, projectId, row);
}

export async function listManagedUsers(deps: ServiceDeps, projectId: string, params: { queries: string[]; search?: string | undefined; total: boolean }) {
  const list: ParsedList = parseListQueries(params.queries, { attributes: USER_QUERY_ATTRIBUTES });
  const page = await listUserRows(deps.db.project(projectId), list, { total: params.total, ...(params.search ? { search: params.search } : {}) });
  const targets = await targetsOfUsers(deps, projectId, page.rows.map((row) => row.id));
  const byUser = new Map<string, TargetRow[]>();
  for (const target of targets) byUser.set(target.user_id, [...(byUser.get(target.user_id) ?? []), target]);
  return { total: page.total, users: page.rows.map((row) => toAdminUserModel(row, byUser.get(row.id) ?? [])) };
}

/** Deletes a user with their sessions, tokens, memberships (teams' totals kept right), identities and targets. */
export async function deleteManagedUser(deps: ServiceDeps, projectId: string, userId: string): Promise<void> {
  const row = await requireUser(deps, projectId, userId);
  const model = await adminUserModel(deps, projectId, row);
  const { password: _password, hash: _hash, hashOptions: _options, ...payload } = model;
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteUserWithDependents(trx, userId))) throw new AppError('user_not_found');
    emit(userEvent(projectId, userId, { action: 'delete', payload }));
  });
}

/** Saves changes and answers with the server's view of the user; `attribute` names the event. */
async function saveAndShow(deps: ServiceDeps, projectId: string, user: UserRow, changes: Omit<UserChanges, 'updated_at'>, attribute: string) {
  const saved = await saveUserChanges(deps, projectId, user, changes, { attribute, conflicts: 'specific' });
  return adminUserModel(deps, projectId, saved);
}

/** A new email (or none, when empty) is unverified until proven again. */
export async function setUserEmail(deps: ServiceDeps, projectId: string, user: UserRow, email: string) {
  const next = email === '' ? null : normaliseEmail(email);
  return saveAndShow(deps, projectId, user, { email: next, email_verified: next === user.email ? user.email_verified : 0 }, 'email');
}

export async function setUserPhone(deps: ServiceDeps, projectId: string, user: UserRow, phone: string) {
  const next = phone === '' ? null : phone;
  return saveAndShow(deps, projectId, user, { phone: next, phone_verified: next === user.phone ? user.phone_verified : 0 }, 'phone');
}

export async function setUserName(deps: ServiceDeps, projectId: string, user: UserRow, name: string) {
  return saveAndShow(deps, projectId, user, { name }, 'name');
}

/** A new password under the project's policies; an empty one removes the password. */
export async function setUserPassword(deps: ServiceDeps, projectId: string, user: UserRow, password: string) {
  if (password === '') {
    return saveAndShow(deps, projectId, user, { password_hash: null, hash_algorithm: null, hash_options: null, password_updated_at: nowDateTime() }, 'password');
  }
  const prepared = await prepareNewPassword(deps, projectId, user, password);
  const model = await saveAndShow(deps, projectId, user, newPasswordColumns(prepared), 'password');
  await endSessionsAfterPasswordChange(deps, projectId, user.id);
  return model;
}

/** A blocked user's sessions and JWTs stop working at once: authentication checks the status. */
export async function setUserStatus(deps: ServiceDeps, projectId: string, user: UserRow, status: boolean) {
  return saveAndShow(deps, projectId, user, { status: status ? 1 : 0 }, 'status');
}

export async function setUserLabels(deps: ServiceDeps, projectId: string, user: UserRow, labels: readonly string[]) {
  return saveAndShow(deps, projectId, user, { labels: JSON.stringify([...new Set(labels)]) }, 'labels');
}

export async function setUserPrefs(deps: ServiceDeps, projectId: string, user: UserRow, prefs: Record<string, unknown>) {
  await saveUserChanges(deps, projectId, user, { prefs: JSON.stringify(prefs) }, { attribute: 'prefs', conflicts: 'specific' });
  return prefs;
}

export async function setEmailVerification(deps: ServiceDeps, projectId: string, user: UserRow, verified: boolean) {
  return saveAndShow(deps, projectId, user, { email_verified: verified ? 1 : 0 }, 'verification');
}

export async function setPhoneVerification(deps: ServiceDeps, projectId: string, user: UserRow, verified: boolean) {
  return saveAndShow(deps, projectId, user, { phone_verified: verified ? 1 : 0 }, 'verification');
}

export async function setImpersonator(deps: ServiceDeps, projectId: string, user: UserRow, impersonator: boolean) {
  return saveAndShow(deps, projectId, user, { impersonator: impersonator ? 1 : 0 }, 'impersonator');
}

export async function setUserMfa(deps: ServiceDeps, projectId: string, user: UserRow, mfa: boolean) {
  return saveAndShow(deps, projectId, user, { mfa: mfa ? 1 : 0 }, 'mfa');
}
