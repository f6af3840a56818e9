import type { StoredPassword } from '../../infra/hashing/passwords.js';
import { DEFAULT_SHA_VERSION } from '../../infra/hashing/imported.js';

/**
 * How each import route's hash is stored: the algorithm names the verifier
 * (infra/hashing/imported.ts) and the options are what the user model shows as `hashOptions`.
 */
export const importedHash = {
  argon2: (hash: string): StoredPassword => ({ hash, algorithm: 'argon2', options: {} }),
  bcrypt: (hash: string): StoredPassword => ({ hash, algorithm: 'bcrypt', options: {} }),
  md5: (hash: string): StoredPassword => ({ hash, algorithm: 'md5', options: {} }),
  phpass: (hash: string): StoredPassword => ({ hash, algorithm: 'phpass', options: {} }),
  sha: (hash: string, version: string | undefined): StoredPassword => ({
    hash,
    algorithm: 'sha',
    options: { version: version || DEFAULT_SHA_VERSION },
  }),
  scrypt: (hash: string, p: { salt: string; costCpu: number; costMemory: number; costParallel: number; length: number }): StoredPassword => ({
    hash,
    algorithm: 'scrypt',
    options: { salt: p.salt, costCpu: p.costCpu, costMemory: p.costMemory, costParallel: p.costParallel, length: p.length },
  }),
  scryptModified: (hash: string, p: { salt: string; saltSeparator: string; signerKey: string }): StoredPassword => ({
    hash,
    algorithm: 'scryptMod',
    options: { salt: p.salt, saltSeparator: p.saltSeparator, signerKey: p.signerKey },
  }),
};
