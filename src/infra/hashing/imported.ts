import { createHash, scrypt, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { firebaseScryptHash } from './firebase-scrypt.js';
import { registerPasswordVerifier, type StoredPassword } from './passwords.js';
import { phpassPortableHash } from './phpass.js';

/** The digests `sha` imports may name, as the API spells them → node:crypto's name. */
export const SHA_VERSIONS: Readonly<Record<string, string>> = {
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  'sha512/224': 'sha512-224',
  'sha512/256': 'sha512-256',
  sha512: 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
};
/** What a `sha` import without a version is taken to be. */
export const DEFAULT_SHA_VERSION = 'sha3-512';

let registered = false;

/**
 * Teaches password verification the algorithms the Users API imports (bcrypt, md5, sha,
 * phpass, scrypt, Firebase's scrypt). argon2 needs nothing: any encoded argon2 hash verifies.
 */
export function registerImportedVerifiers(): void {
  if (registered) return;
  registered = true;
  registerPasswordVerifier('bcrypt', async (password, stored) => verifyBcrypt(password, stored.hash));
  registerPasswordVerifier('md5', async (password, stored) => equalText(hexDigest('md5', password), stored.hash.toLowerCase()));
  registerPasswordVerifier('sha', async (password, stored) => {
    const digest = SHA_VERSIONS[String(stored.options.version ?? DEFAULT_SHA_VERSION)];
    return digest !== undefined && equalText(hexDigest(digest, password), stored.hash.toLowerCase());
  });
  registerPasswordVerifier('phpass', async (password, stored) => {
    // phpass falls back to bcrypt when it was configured without portable hashes.
    if (stored.hash.startsWith('$2')) return verifyBcrypt(password, stored.hash);
    const computed = phpassPortableHash(password, stored.hash);
    return computed !== undefined && equalText(computed, stored.hash);
  });
  registerPasswordVerifier('scrypt', verifyScrypt);
  registerPasswordVerifier('scryptMod', async (password, stored) => {
    const { salt, saltSeparator, signerKey } = stored.options;
    if (typeof salt !== 'string' || typeof saltSeparator !== 'string' || typeof signerKey !== 'string') return false;
    return equalText(await firebaseScryptHash(password, { salt, saltSeparator, signerKey }), stored.hash);
  });
}

async function verifyBcrypt(password: string, hash: string): Promise<boolean> {
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

/** Plain scrypt with the imported settings; the hash is the derived key in hex. */
async function verifyScrypt(password: string, stored: StoredPassword): Promise<boolean> {
  const { salt, costCpu, costMemory, costParallel, length } = stored.options;
  if (typeof salt !== 'string' || ![costCpu, costMemory, costParallel, length].every((n) => typeof n === 'number')) return false;
  const N = costCpu as number;
  const r = costMemory as number;
  const p = costParallel as number;
  try {
    const derived = await new Promise<Buffer>((resolve, reject) => {
      scrypt(password, salt, length as number, { N, r, p, maxmem: 256 * N * r + 64 * 1024 * 1024 }, (error, key) =>
        error ? reject(error) : resolve(key),
      );
    });
    return equalText(derived.toString('hex'), stored.hash.toLowerCase());
  } catch {
    // Settings node refuses (N not a power of two …) match nothing.
    return false;
  }
}

function hexDigest(algorithm: string, value: string): string {
  return createHash(algorithm).update(value, 'utf8').digest('hex');
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
