import { randomBytes } from 'node:crypto';

/** Custom ids: up to 36 of a-z A-Z 0-9 . - _, not starting with a special character. */
const CUSTOM_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

export const UNIQUE_ID_PLACEHOLDER = 'unique()';

export function isValidCustomId(id: string): boolean {
  return CUSTOM_ID.test(id);
}

/** Random hex drawn in batches: one call to the system's generator serves many ids. */
const RANDOM_BATCH_BYTES = 4096;
const RANDOM_CHARS = 7;
let randomHex = '';
let randomAt = 0;

function randomSuffix(): string {
  if (randomAt + RANDOM_CHARS > randomHex.length) {
    randomHex = randomBytes(RANDOM_BATCH_BYTES).toString('hex');
    randomAt = 0;
  }
  const suffix = randomHex.slice(randomAt, randomAt + RANDOM_CHARS);
  randomAt += RANDOM_CHARS;
  return suffix;
}

/** A time-ordered id in the SDK's format: hex seconds, hex milliseconds, then random hex. */
export function uniqueId(): string {
  const now = Date.now();
  const seconds = Math.floor(now / 1000).toString(16);
  const millis = (now % 1000).toString(16).padStart(5, '0');
  return seconds + millis + randomSuffix();
}

/** Replaces the literal `unique()` with a generated id, as the API accepts both. */
export function resolveId(requested: string): string {
  return requested === UNIQUE_ID_PLACEHOLDER ? uniqueId() : requested;
}
