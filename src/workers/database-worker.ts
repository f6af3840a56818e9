import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { runSchemaJob, type SchemaJob } from '../services/databases/index.js';

/** Runs the schema changes of the 'databases' queue: columns and indexes of document tables. */
export function databaseWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    const payload = job.payload as SchemaJob;
    await runSchemaJob(deps, payload);
    logger.debug({ project: job.projectId, action: payload.action, seq: payload.seq }, 'schema change done');
  };
}
