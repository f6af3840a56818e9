import { nextCronRun } from '../../core/cron.js';
import type { FunctionRow } from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import { EXECUTIONS_QUEUE } from './placements.js';

/** A queued tick of a function's cron schedule; it is stale once the function changed. */
export interface ScheduleJob {
  kind: 'schedule';
  projectId: string;
  functionId: string;
  /** The function's `updated_at` when the chain started: a later update starts a new chain. */
  version: string;
}

/** Queues the next tick of the function's schedule, if it has one. Ticks live in the durable queue, so every node shares them. */
export async function scheduleNextRun(deps: ServiceDeps, projectId: string, fn: FunctionRow): Promise<void> {
  if (fn.schedule === '' || fn.enabled !== 1) return;
  const next = nextCronRun(fn.schedule);
  if (!next) return;
  const job: ScheduleJob = { kind: 'schedule', projectId, functionId: fn.id, version: fn.updated_at };
  await deps.queue.enqueue(EXECUTIONS_QUEUE, job, { projectId, maxAttempts: 1, runAt: next.getTime() });
}
