import type { Logger } from 'pino';
import { API_VERSION } from '../core/errors.js';
import { openDatabase } from '../data/open-database.js';
import { createSmtpTransport } from '../infra/mail/smtp-transport.js';
import { createMemoryEventBus } from '../infra/events/memory-event-bus.js';
import { createDatabaseJobQueue } from '../infra/queue/database-job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import type { Config } from './config.js';
import { loadServerSecret } from './secret.js';

export interface Services {
  deps: ServiceDeps;
  close(): Promise<void>;
}

/** Picks the adapters the configuration names and wires them into the services' dependencies. */
export function createServices(config: Config, logger: Logger): Services {
  const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const events = createMemoryEventBus((error) => logger.error({ err: error }, 'event handler failed'));
  const queue = createDatabaseJobQueue(db, {
    onError: (error, job) => logger.error({ err: error, queue: job?.queue, job: job?.id }, 'job failed'),
  });
  const deps: ServiceDeps = {
    db,
    events,
    queue,
    smtp: createSmtpTransport,
    dataDir: config.dataDir,
    secretKey: loadServerSecret(config.secret, config.dataDir),
    apiVersion: API_VERSION,
    startedAt: new Date(),
  };
  return {
    deps,
    async close() {
      await queue.close();
      await events.close();
      await db.close();
    },
  };
}
