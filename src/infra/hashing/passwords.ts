import { lazyExports } from '../../core/load-package.js';

// A native addon: loaded by the first password hashed or checked, not by every start.
const argon2 = lazyExports<typeof import('@node-rs/argon2')>('@node-rs/argon2');

/** How a stored password was hashed; `argon2` is what Plinth itself writes. */
export interface StoredPassword {
  hash: string;
  algorithm: string;
  /** The algorithm's options (salt, rounds …) for imported hashes; empty for argon2. */
  options: Record<string, unknown>;
}

/** Checks a password against a hash of one algorithm; registered per algorithm name. */
export type PasswordVerifier = (password: string, stored: StoredPassword) => Promise<boolean>;

const verifiers = new Map<string, PasswordVerifier>([['argon2', (password, stored) => verifyArgon2(stored.hash, password)]]);

/** Lets the importers of other algorithms (bcrypt, scrypt …) teach verification their hashes. */
export function registerPasswordVerifier(algorithm: string, verifier: PasswordVerifier): void {
  verifiers.set(algorithm, verifier);
}

/** argon2id with the library's defaults (19 MiB, 2 passes), as OWASP recommends. */
export async function hashPassword(password: string): Promise<StoredPassword> {
  return { hash: await argon2.hash(password), algorithm: 'argon2', options: {} };
}

/** The parameters `hashPassword` writes, as they open its encoded hashes. */
const CURRENT_ARGON2_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$';

/** Whether a stored hash was written by anything but `hashPassword`: another algorithm, or argon2 with other settings. */
export function isOutdatedHash(stored: StoredPassword): boolean {
  return stored.algorithm !== 'argon2' || !stored.hash.startsWith(CURRENT_ARGON2_PREFIX);
}

export async function verifyPassword(password: string, stored: StoredPassword): Promise<boolean> {
  const verifier = verifiers.get(stored.algorithm);
  if (!verifier) return false;
  return verifier(password, stored);
}

async function verifyArgon2(encoded: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(encoded, password);
  } catch {
    // A malformed stored hash matches nothing.
    return false;
  }
}
