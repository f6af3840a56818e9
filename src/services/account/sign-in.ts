import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { findUserByEmail, updateUser } from '../../data/project/users.js';
import type { UserRow } from '../../data/tables.js';
import { hashPassword, isOutdatedHash, verifyPassword } from '../../infra/hashing/passwords.js';
import type { ServiceDeps } from '../deps.js';
import type { ActivitySource } from '../users/index.js';
import { createUser, normaliseEmail } from '../users/index.js';
import { issueSession, type IssuedSession } from '../users/index.js';

/**
 * Email and password sign-in. An unknown email and a wrong password fail alike, and
 * the password is hashed either way, so the answer does not tell which it was.
 */
export async function signInWithPassword(
  deps: ServiceDeps,
  projectId: string,
  input: { email: string; password: string },
  source: ActivitySource,
): Promise<IssuedSession> {
  const user = await findUserByEmail(deps.db.project(projectId), normaliseEmail(input.email));
  const stored = user?.password_hash
    ? { hash: user.password_hash, algorithm: user.hash_algorithm ?? 'argon2', options: JSON.parse(user.hash_options ?? '{}') as Record<string, unknown> }
    : DECOY_HASH;
  const matches = await verifyPassword(input.password, stored);
  if (!user || !user.password_hash || !matches) throw new AppError('user_invalid_credentials');
  if (user.status !== 1) throw new AppError('user_blocked');
  if (isOutdatedHash(stored)) await upgradeImportedHash(deps, projectId, user, input.password);
  return issueSession(deps, projectId, user, source, { provider: 'email', providerUid: user.email ?? '', factors: ['password'] });
}

/**
 * A password imported with another algorithm (md5, bcrypt, scrypt …), or as argon2 with other
 * settings, is hashed again with Plinth's own argon2 at the first sign-in that proves it, as
 * Appwrite does for other algorithms: the weaker hash is gone from then on. The password itself did not change, so neither does passwordUpdate.
 */
async function upgradeImportedHash(deps: ServiceDeps, projectId: string, user: UserRow, password: string): Promise<void> {
  const upgraded = await hashPassword(password);
  await updateUser(deps.db.project(projectId), user.id, {
    password_hash: upgraded.hash,
    hash_algorithm: upgraded.algorithm,
    hash_options: null,
    updated_at: nowDateTime(),
  });
}

/** A guest becomes a user with no email or password, signed in at once. */
export async function signInAnonymously(deps: ServiceDeps, projectId: string, source: ActivitySource): Promise<IssuedSession> {
  const user = await createUser(deps, projectId, { userId: 'unique()' }, 'generic');
  return issueSession(deps, projectId, user, source, { provider: 'anonymous', providerUid: '', factors: ['anonymous'] });
}

/** A valid argon2id hash of a random string: checking against it costs what a real check costs. */
const DECOY_HASH = {
  hash: '$argon2id$v=19$m=19456,t=2,p=1$e5e/tIuCW8vGznbw8aQg/Q$2NNX1V/CLh4egKT/NFOG44Bkse7gXEcuaQ2LW+I9Tlg',
  algorithm: 'argon2',
  options: {},
};
