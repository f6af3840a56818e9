import { AppError } from '../../core/errors.js';
import { readProjectSettings } from '../../data/platform/settings.js';
import type { UserRow } from '../../data/tables.js';
import { hashPassword, verifyPassword, type StoredPassword } from '../../infra/hashing/passwords.js';
import type { ServiceDeps } from '../deps.js';

/** Project settings that restrict new passwords; the project API writes them. */
export const PASSWORD_HISTORY_SETTING = 'policy:password-history';
export const PERSONAL_DATA_SETTING = 'policy:password-personal-data';

export interface NewPassword {
  stored: StoredPassword;
  /** The user's password history with the outgoing hash added, as JSON. */
  history: string;
}

/**
 * Checks a new password against the project's policies (not one of the last N, no
 * personal data) and hashes it. The caller saves both fields.
 */
export async function prepareNewPassword(deps: ServiceDeps, projectId: string, user: UserRow, password: string): Promise<NewPassword> {
  const settings = await readProjectSettings(deps.db.platform, projectId);
  const historyLength = Number(settings.get(PASSWORD_HISTORY_SETTING) ?? 0);
  const history = JSON.parse(user.password_history) as string[];

  if (settings.get(PERSONAL_DATA_SETTING) === true && containsPersonalData(user, password)) {
    throw new AppError('password_personal_data');
  }
  if (historyLength > 0) {
    const recent = [user.password_hash, ...history].filter((hash): hash is string => typeof hash === 'string').slice(0, historyLength);
    for (const hash of recent) {
      if (await verifyPassword(password, { hash, algorithm: 'argon2', options: {} })) throw new AppError('password_recently_used');
    }
  }
  const stored = await hashPassword(password);
  const kept = user.password_hash && user.hash_algorithm === 'argon2' ? [user.password_hash, ...history] : history;
  return { stored, history: JSON.stringify(kept.slice(0, Math.max(historyLength, 0))) };
}

function containsPersonalData(user: UserRow, password: string): boolean {
  const lower = password.toLowerCase();
  const personal = [user.id, user.name, user.email ?? '', (user.email ?? '').split('@')[0] ?? '', user.phone ?? '']
    .map((value) => value.toLowerCase().replace(/^\+/, ''))
    .filter((value) => value.length >= 3);
  return personal.some((value) => lower.includes(value));
}
