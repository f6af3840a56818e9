import { createHmac } from 'node:crypto';

/**
 * What a key derived from the server secret is for. Each purpose gets its own key, and each
 * project its own key per purpose, so a token or ciphertext made for one means nothing in another.
 */
export type KeyPurpose = 'jwt' | 'push-image' | 'file-token' | 'files' | 'attributes' | 'oauth2-state';

/**
 * A 32-byte key for one purpose (and project): HMAC-SHA256 of the server secret over
 * `<purpose>:<project>`, or the purpose alone for a server-wide key. The bytes must never change:
 * stored files, encrypted values and issued tokens depend on them.
 */
export function deriveKey(secretKey: Buffer, purpose: KeyPurpose, projectId?: string): Buffer {
  return createHmac('sha256', secretKey)
    .update(projectId === undefined ? purpose : `${purpose}:${projectId}`)
    .digest();
}
