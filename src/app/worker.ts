import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';

export interface RunningWorker {
  logger: Logger;
  /** Stops taking jobs, waits for those running, and closes the stores. */
  close(): Promise<void>;
}

/**
 * Runs the background workers (mail, SMS, schema changes, builds, executions) without the HTTP
 * server. They take jobs from the queue in the shared database, so any number of these
 * processes, on any node sharing the database and the data directory (or S3), split the work.
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const logger = createLogger(config.logLevel);
  const services = createServices(config, logger, { workers: true });
  try {
    await services.deps.db.migrate();
  } catch (error) {
    await services.close();
    throw error;
  }
  return { logger, close: () => services.close() };
}
