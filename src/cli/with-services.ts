import { readConfig } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { createServices } from '../app/services.js';
import type { ServiceDeps } from '../services/deps.js';

/**
 * Runs a command against the same stores a server uses. The stores are brought to the
 * current schema first, so commands work before the first `serve` and beside a running one.
 */
export async function withServices<T>(run: (deps: ServiceDeps) => Promise<T>): Promise<T> {
  const config = readConfig();
  // Delivery is the server's job: a command exits as soon as it is done.
  const services = createServices(config, createLogger(config.logLevel, 'stderr'), { workers: false });
  try {
    await services.deps.db.migrate();
    return await run(services.deps);
  } finally {
    await services.close();
  }
}
