import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { runQueuedExecution, runScheduleTick, type ExecutionJob, type ScheduleJob } from '../services/functions/index.js';

/** Runs async, scheduled and event-triggered executions from the 'functions' queue. */
export function functionExecutionWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    const payload = job.payload as ExecutionJob | ScheduleJob;
    if ('kind' in payload && payload.kind === 'schedule') {
      await runScheduleTick(deps, payload);
      return;
    }
    const execution = payload as ExecutionJob;
    const ran = await runQueuedExecution(deps, execution);
    const where = { project: execution.projectId, function: execution.functionId, execution: execution.executionId };
    logger.debug(where, ran ? 'execution done' : 'execution already taken or gone');
  };
}
