import type { Logger } from 'pino';
import { API_VERSION } from '../core/errors.js';
import { openDatabase } from '../data/open-database.js';
import { createSmtpTransport } from '../infra/mail/smtp-transport.js';
import { createMemoryEventBus } from '../infra/events/memory-event-bus.js';
import { createDatabaseJobQueue } from '../infra/queue/database-job-queue.js';
import { createCaptureSmsProvider } from '../infra/sms/capture-sms-provider.js';
import { createTwilioSmsProvider } from '../infra/sms/twilio-sms-provider.js';
import type { ServiceDeps } from '../services/deps.js';
import { MAILS_QUEUE, MESSAGING_QUEUE } from '../services/messages/index.js';
import { mailWorker } from '../workers/mail-worker.js';
import { smsWorker } from '../workers/sms-worker.js';
import { databaseWorker } from '../workers/database-worker.js';
import { DATABASES_QUEUE } from '../services/databases/index.js';
import type { Config } from './config.js';
import { loadServerSecret } from './secret.js';

export interface Services {
  deps: ServiceDeps;
  close(): Promise<void>;
}

export interface ServicesOptions {
  /** Run the background workers (mail, SMS) in this process; on by default. */
  workers?: boolean;
}

/** Picks the adapters the configuration names and wires them into the services' dependencies. */
export function createServices(config: Config, logger: Logger, options: ServicesOptions = {}): Services {
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
    mail: config.mail,
    sms: config.sms.provider ? createTwilioSmsProvider(config.sms.provider) : createCaptureSmsProvider(config.dataDir, config.sms.from),
    dataDir: config.dataDir,
    secretKey: loadServerSecret(config.secret, config.dataDir),
    apiVersion: API_VERSION,
    startedAt: new Date(),
  };
  if (options.workers !== false) {
    // Workers start after the first migrate(): before it the jobs table may not exist yet.
    const migrate = db.migrate.bind(db);
    let started = false;
    db.migrate = async () => {
      await migrate();
      if (started) return;
      started = true;
      queue.process(MAILS_QUEUE, mailWorker(deps, logger), { concurrency: 4 });
      queue.process(MESSAGING_QUEUE, smsWorker(deps, logger), { concurrency: 4 });
      // One schema change at a time: DDL on one table must not interleave.
      queue.process(DATABASES_QUEUE, databaseWorker(deps, logger), { concurrency: 1 });
    };
  }
  return {
    deps,
    async close() {
      await queue.close();
      await events.close();
      await db.close();
    },
  };
}
