import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key that encrypts secrets at rest and signs short-lived tokens. From PLINTH_SECRET when
 * set (every node of a cluster must share it); otherwise made once and kept in the data
 * directory, readable by its owner only.
 */
export function loadServerSecret(configured: string | undefined, dataDir: string): Buffer {
  if (configured) {
    if (configured.length < 32) throw new Error('PLINTH_SECRET must be at least 32 characters');
    return createHash('sha256').update(configured).digest();
  }
  const file = join(dataDir, 'secret.key');
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  try {
    // `wx`: when several processes start at once, the first one's key wins.
    writeFileSync(file, secret.toString('hex'), { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  }
}
