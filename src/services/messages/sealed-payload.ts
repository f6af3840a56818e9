import { decryptValue, encryptValue } from '../../core/crypto.js';

/**
 * Message jobs carry sign-in links and codes. The job row outlives delivery when it fails,
 * so its payload is encrypted with the server key instead of kept in plain text.
 */
export interface SealedPayload {
  sealed: string;
}

export function sealPayload(key: Buffer, value: unknown): SealedPayload {
  return { sealed: encryptValue(key, JSON.stringify(value)) };
}

export function openPayload<T>(key: Buffer, payload: unknown): T {
  const sealed = (payload as Partial<SealedPayload> | null)?.sealed;
  if (typeof sealed !== 'string') throw new Error('message job without a sealed payload');
  return JSON.parse(decryptValue(key, sealed)) as T;
}
