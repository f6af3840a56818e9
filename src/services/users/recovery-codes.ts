import { randomInt } from 'node:crypto';
import { decryptValue, encryptValue } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { equalSecrets } from '../../core/secrets.js';
import { swapRecoveryCodes } from '../../data/project/users.js';
import type { UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { saveUserChanges } from './user-records.js';

/** How many recovery codes a user gets, and how long each is. */
export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_LENGTH = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Fresh one-time codes: 10 × 10 characters of [a-z0-9], about 51 bits each. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let code = '';
    for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    return code;
  });
}

/** The user's unused codes, decrypted; empty when none were generated or all are used. */
export function readRecoveryCodes(secretKey: Buffer, user: UserRow): string[] {
  if (!user.mfa_recovery_codes) return [];
  return JSON.parse(decryptValue(secretKey, user.mfa_recovery_codes)) as string[];
}

/** The column value for a list of codes: encrypted JSON, or null when there are none. */
export function sealRecoveryCodes(secretKey: Buffer, codes: readonly string[]): string | null {
  return codes.length === 0 ? null : encryptValue(secretKey, JSON.stringify(codes));
}

/** The user's codes; they must have been generated first. */
export function requireRecoveryCodes(deps: ServiceDeps, user: UserRow): string[] {
  const codes = readRecoveryCodes(deps.secretKey, user);
  if (codes.length === 0) throw new AppError('user_recovery_codes_not_found');
  return codes;
}

/** Generates a user's first codes; refused once they have some. */
export async function createRecoveryCodes(deps: ServiceDeps, projectId: string, user: UserRow): Promise<string[]> {
  if (readRecoveryCodes(deps.secretKey, user).length > 0) throw new AppError('user_recovery_codes_already_exists');
  return storeNewCodes(deps, projectId, user);
}

/** Replaces a user's codes with fresh ones; they must have had some. */
export async function regenerateRecoveryCodes(deps: ServiceDeps, projectId: string, user: UserRow): Promise<string[]> {
  requireRecoveryCodes(deps, user);
  return storeNewCodes(deps, projectId, user);
}

/**
 * Uses up one code: true and the code removed when it is one of the user's unused codes,
 * false otherwise. For the MFA challenge of type `recoveryCode`.
 */
export async function consumeRecoveryCode(deps: ServiceDeps, projectId: string, user: UserRow, code: string): Promise<boolean> {
  const codes = readRecoveryCodes(deps.secretKey, user);
  const match = codes.find((candidate) => equalSecrets(candidate, code));
  if (match === undefined) return false;
  const sealed = user.mfa_recovery_codes;
  if (sealed === null) return false;
  const rest = sealRecoveryCodes(deps.secretKey, codes.filter((candidate) => candidate !== match));
  return swapRecoveryCodes(deps.db.project(projectId), user.id, sealed, rest, nowDateTime());
}

async function storeNewCodes(deps: ServiceDeps, projectId: string, user: UserRow): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await saveUserChanges(deps, projectId, user, { mfa_recovery_codes: sealRecoveryCodes(deps.secretKey, codes) }, { conflicts: 'generic' });
  return codes;
}
