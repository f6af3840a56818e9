import { readConfig } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { createServices } from '../app/services.js';
import type { ServiceDeps } from '../services/deps.js';
import type { CliContext } from './context.js';

/**
 * Runs a command against the same stores a server uses. The stores are brought to the
 * current schema first, so commands work before the first `serve` and beside a running one.
 */
export async function withServices<T>(cli: CliContext, run: (deps: ServiceDeps) => Promise<T>): Promise<T> {
  const config = readConfig(cli.env);
  // Logs go with the errors, never into the printed result; delivery is the server's job,
  // so a command exits as soon as it is done.
  const services = createServices(config, createLogger(config.logLevel, cli.stderr), { workers: false });
  try {
    await services.deps.db.migrate();
    return await run(services.deps);
  } finally {
    await services.close();
  }
}
