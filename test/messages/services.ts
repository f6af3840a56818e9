import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices, type Services } from '../../src/app/services.js';
import type { TestServer } from '../support/plinth.js';

/**
 * Services on the server's own stores, built as src/app does, for calling the messages API
 * until a route sends mail. Its workers stay off: the server process must do the delivery.
 */
export function servicesBeside(server: TestServer): Services {
  return createServices(readConfig(server.processEnv()), createLogger('silent'), { workers: false });
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}
