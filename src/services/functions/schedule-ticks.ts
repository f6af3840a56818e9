import { serverCaller } from '../../core/caller.js';
import { findFunction } from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import { createExecution } from './executions.js';
import { scheduleNextRun, type ScheduleJob } from './schedules.js';

/** Runs one tick: an execution with trigger `schedule`, then the next tick. */
export async function runScheduleTick(deps: ServiceDeps, job: ScheduleJob): Promise<void> {
  const fn = await findFunction(deps.db.project(job.projectId), job.functionId);
  if (!fn || fn.updated_at !== job.version || fn.schedule === '' || fn.enabled !== 1) return;
  try {
    await runFunctionOnSchedule(deps, job.projectId, fn.id);
  } catch {
    // No ready deployment yet: the schedule keeps ticking until there is one.
  } finally {
    await scheduleNextRun(deps, job.projectId, fn);
  }
}

/** Queues one run of the function as a cron runs it: `POST /`, trigger `schedule`, no caller. */
export async function runFunctionOnSchedule(deps: ServiceDeps, projectId: string, functionId: string): Promise<void> {
  await createExecution(deps, projectId, functionId, serverCaller(), { body: '', async: true, path: '/', method: 'POST', headers: {} }, 'schedule');
}
