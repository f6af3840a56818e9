import { randomBytes } from 'node:crypto';

/** Custom ids: up to 36 of a-z A-Z 0-9 . - _, not starting with a special character. */
const CUSTOM_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

export const UNIQUE_ID_PLACEHOLDER = 'unique()';

export function isValidCustomId(id: string): boolean {
  return CUSTOM_ID.test(id);
}

/** A time-ordered id in the SDK's format: hex seconds, hex milliseconds, then random hex. */
export function uniqueId(): string {
  const now = Date.now();
  const seconds = Math.floor(now / 1000).toString(16);
  const millis = (now % 1000).toString(16).padStart(5, '0');
  return seconds + millis + randomBytes(4).toString('hex').slice(0, 7);
}

/** Replaces the literal `unique()` with a generated id, as the API accepts both. */
export function resolveId(requested: string): string {
  return requested === UNIQUE_ID_PLACEHOLDER ? uniqueId() : requested;
}
