import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Random IVs drawn a few hundred at a time: one call to the random source each is most of
 * what sealing a short value costs. Every IV is handed out once (the cipher copies it).
 */
const ivPool = Buffer.alloc(IV_BYTES * 340);
let ivAt = ivPool.length;

function freshIv(): Buffer {
  if (ivAt === ivPool.length) {
    randomFillSync(ivPool);
    ivAt = 0;
  }
  ivAt += IV_BYTES;
  return ivPool.subarray(ivAt - IV_BYTES, ivAt);
}

/** Encrypts a value at rest with the server key: `v1:<base64 of iv, tag, ciphertext>`. */
export function encryptValue(key: Buffer, plaintext: string): string {
  const iv = freshIv();
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
}

/** Reverses encryptValue; throws when the value was altered or encrypted with another key. */
export function decryptValue(key: Buffer, stored: string): string {
  if (!stored.startsWith(`${VERSION}:`)) throw new Error('not an encrypted value');
  const packed = Buffer.from(stored.slice(VERSION.length + 1), 'base64');
  const decipher = createDecipheriv(ALGORITHM, key, packed.subarray(0, 12));
  decipher.setAuthTag(packed.subarray(12, 28));
  return Buffer.concat([decipher.update(packed.subarray(28)), decipher.final()]).toString('utf8');
}
