import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where tests keep runtimes fetched from the npm registry (Node.js majors, Bun, Deno), shared by
 * every run on this machine so each is downloaded once: PLINTH_TEST_RUNTIMES_DIR, else ~/.cache.
 */
export function testRuntimesDir(): string {
  return process.env.PLINTH_TEST_RUNTIMES_DIR || join(homedir(), '.cache', 'plinth-test-runtimes');
}
