import { Cron } from 'croner';
import { findFunction, type FunctionRow } from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import { createExecution } from './executions.js';
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
  const next = new Cron(fn.schedule, { paused: true, timezone: 'UTC' }).nextRun();
  if (!next) return;
  const job: ScheduleJob = { kind: 'schedule', projectId, functionId: fn.id, version: fn.updated_at };
  await deps.queue.enqueue(EXECUTIONS_QUEUE, job, { projectId, maxAttempts: 1, runAt: next.getTime() });
}

/** Runs one tick: an execution with trigger `schedule`, then the next tick. */
export async function runScheduleTick(deps: ServiceDeps, job: ScheduleJob): Promise<void> {
  const fn = await findFunction(deps.db.project(job.projectId), job.functionId);
  if (!fn || fn.updated_at !== job.version || fn.schedule === '' || fn.enabled !== 1) return;
  try {
    await createExecution(deps, job.projectId, fn.id, { isKey: true, roles: [] }, { body: '', async: true, path: '/', method: 'POST', headers: {} }, 'schedule');
  } catch {
    // No ready deployment yet: the schedule keeps ticking until there is one.
  } finally {
    await scheduleNextRun(deps, job.projectId, fn);
  }
}
