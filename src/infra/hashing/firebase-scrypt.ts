import { createCipheriv, scrypt } from 'node:crypto';

/** Firebase's fixed scrypt settings for its modified scrypt: N = 2^14, r = 8, p = 1. */
const FIREBASE_COST = 1 << 14;
const FIREBASE_BLOCK_SIZE = 8;

export interface FirebaseScryptOptions {
  /** All base64, as Firebase exports them. */
  salt: string;
  saltSeparator: string;
  signerKey: string;
}

/**
 * Firebase's modified scrypt: scrypt the password with salt + separator, take the first
 * 32 bytes as an AES-256-CTR key (zero IV) and encrypt the project's signer key; the
 * ciphertext, base64, is the stored hash.
 */
export async function firebaseScryptHash(password: string, options: FirebaseScryptOptions): Promise<string> {
  const salt = Buffer.concat([Buffer.from(options.salt, 'base64'), Buffer.from(options.saltSeparator, 'base64')]);
  const derived = await new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, 64, { N: FIREBASE_COST, r: FIREBASE_BLOCK_SIZE, p: 1, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
  const cipher = createCipheriv('aes-256-ctr', derived.subarray(0, 32), Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.from(options.signerKey, 'base64')), cipher.final()]).toString('base64');
}
