import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { deleteUserSessions } from '../../data/project/sessions.js';
import type { UserRow } from '../../data/tables.js';
import { verifyPassword } from '../../infra/hashing/passwords.js';
import type { ServiceDeps } from '../deps.js';
import { recordAuthActivity, type ActivitySource } from '../users/index.js';
import { toUserModel, type UserModel } from '../users/index.js';
import { endSessionsAfterPasswordChange, newPasswordColumns, prepareNewPassword } from '../users/index.js';
import { CONSOLE_PROJECT, createUser, normaliseEmail, saveUserChanges } from '../users/index.js';
import { adoptFirstAdministrator } from '../teams/index.js';

/** The account as its owner sees it: no password hash. */
export function accountModel(user: UserRow): UserModel {
  return toUserModel(user, { withPassword: false });
}

export async function createAccount(
  deps: ServiceDeps,
  projectId: string,
  input: { userId: string; email: string; password: string; name?: string | undefined },
  setupToken?: string,
): Promise<UserModel> {
  const account = { userId: input.userId, email: input.email, password: input.password, name: input.name ?? '' };
  const user = await createUser(deps, projectId, account, 'generic', { via: 'self', setupToken });
  if (projectId === CONSOLE_PROJECT) await adoptFirstAdministrator(deps, user.id);
  return accountModel(user);
}

export async function updateAccountName(deps: ServiceDeps, projectId: string, user: UserRow, name: string, source: ActivitySource) {
  const saved = await saveUserChanges(deps, projectId, user, { name }, { attribute: 'name', conflicts: 'generic' });
  await recordAuthActivity(deps, projectId, saved, 'user.update', source);
  return accountModel(saved);
}

export async function updateAccountPrefs(deps: ServiceDeps, projectId: string, user: UserRow, prefs: Record<string, unknown>) {
  const saved = await saveUserChanges(deps, projectId, user, { prefs: JSON.stringify(prefs) }, { attribute: 'prefs', conflicts: 'generic' });
  return accountModel(saved);
}

/** A user with a password must give it; one without (anonymous, OAuth) may set one freely. */
async function assertPasswordProof(user: UserRow, password: string | undefined): Promise<void> {
  if (user.password_hash === null) return;
  const ok =
    password !== undefined &&
    (await verifyPassword(password, {
      hash: user.password_hash,
      algorithm: user.hash_algorithm ?? 'argon2',
      options: JSON.parse(user.hash_options ?? '{}') as Record<string, unknown>,
    }));
  if (!ok) throw new AppError('user_invalid_credentials');
}

/**
 * Under the session-invalidation policy a new password ends the user's sessions: all of them,
 * or all but the one making the change when the caller names it (`currentSessionId`).
 */
export async function updateAccountPassword(
  deps: ServiceDeps,
  projectId: string,
  user: UserRow,
  input: { password: string; oldPassword?: string | undefined },
  source: ActivitySource,
  currentSessionId?: string,
) {
  await assertPasswordProof(user, input.oldPassword);
  const next = await prepareNewPassword(deps, projectId, user, input.password);
  const saved = await saveUserChanges(
    deps,
    projectId,
    user,
    newPasswordColumns(next),
    { attribute: 'password', conflicts: 'generic' },
  );
  await endSessionsAfterPasswordChange(deps, projectId, user.id, currentSessionId);
  await recordAuthActivity(deps, projectId, saved, 'user.update', source);
  return accountModel(saved);
}

/** Changing the email needs the password (when there is one) and unverifies the address. */
export async function updateAccountEmail(
  deps: ServiceDeps,
  projectId: string,
  user: UserRow,
  input: { email: string; password: string },
  source: ActivitySource,
) {
  await assertPasswordProof(user, input.password);
  const email = normaliseEmail(input.email);
  // An anonymous user who gives an email and password becomes a full account.
  const upgrade = user.password_hash === null ? await prepareNewPassword(deps, projectId, user, input.password) : undefined;
  const saved = await saveUserChanges(
    deps,
    projectId,
    user,
    {
      email,
      email_verified: email === user.email ? user.email_verified : 0,
      ...(upgrade
        ? {
            password_hash: upgrade.stored.hash,
            hash_algorithm: upgrade.stored.algorithm,
            hash_options: JSON.stringify(upgrade.stored.options),
            password_updated_at: nowDateTime(),
          }
        : {}),
    },
    { attribute: 'email', conflicts: 'generic' },
  );
  await recordAuthActivity(deps, projectId, saved, 'user.update', source);
  return accountModel(saved);
}

export async function updateAccountPhone(
  deps: ServiceDeps,
  projectId: string,
  user: UserRow,
  input: { phone: string; password: string },
  source: ActivitySource,
) {
  await assertPasswordProof(user, input.password);
  const saved = await saveUserChanges(
    deps,
    projectId,
    user,
    { phone: input.phone, phone_verified: input.phone === user.phone ? user.phone_verified : 0 },
    { attribute: 'phone', conflicts: 'generic' },
  );
  await recordAuthActivity(deps, projectId, saved, 'user.update', source);
  return accountModel(saved);
}

/** A user blocking their own account: it stays, but every session ends. */
export async function blockOwnAccount(deps: ServiceDeps, projectId: string, user: UserRow, source: ActivitySource) {
  const saved = await saveUserChanges(deps, projectId, user, { status: 0 }, { attribute: 'status', conflicts: 'generic' });
  await deleteUserSessions(deps.db.project(projectId), user.id);
  await recordAuthActivity(deps, projectId, saved, 'user.update', source);
  return accountModel(saved);
}
