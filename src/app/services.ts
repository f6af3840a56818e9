import type { Logger } from 'pino';
import { API_VERSION } from '../core/errors.js';
import { openDatabase } from '../data/open-database.js';
import { createProjectAccessCache } from '../auth/project-access-cache.js';
import { createSmtpTransport } from '../infra/mail/smtp-transport.js';
import { createMemoryEventBus } from '../infra/events/memory-event-bus.js';
import { createRedisEventBus } from '../infra/events/redis-event-bus.js';
import { openRedisChannel } from '../infra/events/redis-channel.js';
import { withRequestActors } from '../infra/events/event-bus.js';
import { currentActor } from '../core/actor.js';
import { openFileStore } from '../infra/files/open-file-store.js';
import { createDatabaseJobQueue } from '../data/platform/job-queue.js';
import { createCaptureSmsProvider } from '../infra/sms/capture-sms-provider.js';
import { createTwilioSmsProvider } from '../infra/sms/twilio-sms-provider.js';
import type { ServiceDeps } from '../services/deps.js';
import { MAILS_QUEUE, MESSAGING_QUEUE } from '../services/messages/index.js';
import { mailWorker } from '../workers/mail-worker.js';
import { messagingWorker } from '../workers/messaging-worker.js';
import { databaseWorker } from '../workers/database-worker.js';
import { DATABASES_QUEUE } from '../services/databases/index.js';
import { BUILDS_QUEUE, closeFunctionsHost, EXECUTIONS_QUEUE, startFunctionTriggers } from '../services/functions/index.js';
import { SITE_BUILDS_QUEUE } from '../services/sites/index.js';
import { siteBuildWorker } from '../workers/site-build-worker.js';
import { functionBuildWorker } from '../workers/function-build-worker.js';
import { functionExecutionWorker } from '../workers/function-execution-worker.js';
import { scheduleWorker } from '../workers/schedule-worker.js';
import { SCHEDULES_QUEUE } from '../services/schedules/index.js';
import { createOutboxDispatcher } from '../workers/event-outbox-dispatcher.js';
import { startPresenceSweeper } from '../workers/presence-sweeper.js';
import { listOutboxProjects } from '../data/outbox/outbox-projects.js';
import { queueWebhookDeliveries, WEBHOOKS_QUEUE } from '../services/webhooks/index.js';
import { webhookWorker } from '../workers/webhook-worker.js';
import { listeningUrl, type Config } from './config.js';
import { loadServerSecret } from './secret.js';

export interface Services {
  deps: ServiceDeps;
  close(): Promise<void>;
}

export interface ServicesOptions {
  /** Run the background workers (mail, SMS, schema, builds, executions) in this process; on by default. */
  workers?: boolean;
  /**
   * Follow the function changes and deletions this process sees on the bus (caches, running
   * work); as `workers` by default. Events reach function triggers and webhooks through the
   * outbox, which the processes running workers hand on.
   */
  triggers?: boolean;
}

/** Picks the adapters the configuration names and wires them into the services' dependencies. */
export function createServices(config: Config, logger: Logger, options: ServicesOptions = {}): Services {
  const db = openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    sqliteRegexTimeoutMs: config.sqliteRegexTimeoutMs,
    sqliteOpenProjects: config.sqliteOpenProjects,
    postgresPoolSize: config.postgresPoolSize,
    postgresNamedStatements: config.postgresNamedStatements,
  });
  const onEventError = (error: unknown) => logger.error({ err: error }, 'event handler failed');
  const bus = config.redisUrl ? createRedisEventBus({ url: config.redisUrl, channel: config.redisChannel, onError: onEventError }) : createMemoryEventBus(onEventError);
  const events = withRequestActors(bus, currentActor);
  const queue = createDatabaseJobQueue(db, {
    leaseMs: config.jobLeaseMs,
    onError: (error, job) => logger.error({ err: error, queue: job?.queue, job: job?.id }, 'job failed'),
  });
  const { redisUrl } = config;
  const onAccessChannelError = (error: unknown) => logger.error({ err: error }, 'access change channel failed');
  const projectAccess = createProjectAccessCache(
    db,
    redisUrl ? (onChange) => openRedisChannel({ url: redisUrl, channel: `${config.redisChannel}:access`, onMessage: onChange, onError: onAccessChannelError }) : undefined,
  );
  const deps: ServiceDeps = {
    db,
    projectAccess,
    events,
    queue,
    smtp: createSmtpTransport,
    mail: config.mail,
    sms: config.sms.provider ? createTwilioSmsProvider(config.sms.provider) : createCaptureSmsProvider(config.dataDir, config.sms.from),
    files: openFileStore(config.filesUrl, config.dataDir),
    antivirus: config.clamav,
    realtime: config.realtime,
    graphql: config.graphql,
    dataDir: config.dataDir,
    secretKey: loadServerSecret(config.secret, config.dataDir),
    publicUrl: config.publicUrl ?? listeningUrl(config.host, config.port),
    apiVersion: API_VERSION,
    startedAt: new Date(),
    functions: config.functions,
    sites: config.sites,
    consoleSignUp: config.consoleSignUp,
    proxy: config.proxy,
    messaging: config.messaging,
    webhooks: config.webhooks,
    avatars: config.avatars,
  };
  const outbox = createOutboxDispatcher(deps, { onError: (error) => logger.error({ err: error }, 'event outbox failed') });
  deps.outbox = outbox;
  let stopFunctionTriggers = () => {};
  let presenceSweeper: { close(): Promise<void> } | undefined;
  const workers = options.workers !== false;
  const triggers = options.triggers ?? workers;
  if (workers || triggers) {
    // Workers start after the first migrate(): before it the jobs table may not exist yet.
    const migrate = db.migrate.bind(db);
    let started = false;
    db.migrate = async () => {
      await migrate();
      if (started) return;
      started = true;
      const functionTriggers = startFunctionTriggers(deps, (error) => logger.error({ err: error }, 'function trigger failed'));
      stopFunctionTriggers = functionTriggers.stop;
      if (!workers) return;
      outbox.start([functionTriggers.deliver, (event) => queueWebhookDeliveries(deps, event)]);
      presenceSweeper = startPresenceSweeper(deps, {
        everyMs: config.presenceSweepSeconds * 1000,
        projects: () => listOutboxProjects(db.platform),
        onError: (error) => logger.error({ err: error }, 'presence sweep failed'),
      });
      queue.process(MAILS_QUEUE, mailWorker(deps, logger), { concurrency: 4 });
      queue.process(MESSAGING_QUEUE, messagingWorker(deps, logger), { concurrency: 4 });
      // One schema change at a time: DDL on one table must not interleave.
      queue.process(DATABASES_QUEUE, databaseWorker(deps, logger), { concurrency: 1 });
      queue.process(BUILDS_QUEUE, functionBuildWorker(deps, logger), { concurrency: 2 });
      queue.process(EXECUTIONS_QUEUE, functionExecutionWorker(deps, logger), { concurrency: 8 });
      queue.process(WEBHOOKS_QUEUE, webhookWorker(deps, logger), { concurrency: 8 });
      queue.process(SCHEDULES_QUEUE, scheduleWorker(deps), { concurrency: 2 });
      queue.process(SITE_BUILDS_QUEUE, siteBuildWorker(deps, logger), { concurrency: 2 });
    };
  }
  return {
    deps,
    async close() {
      await outbox.close();
      await presenceSweeper?.close();
      stopFunctionTriggers();
      closeFunctionsHost(deps);
      await projectAccess.close();
      await queue.close();
      await events.close();
      await db.close();
    },
  };
}
