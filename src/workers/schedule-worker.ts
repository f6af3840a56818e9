import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { runSchedule, type ScheduleRunJob } from '../services/schedules/index.js';

/** Runs the project schedules due from the 'schedules' queue. */
export function scheduleWorker(deps: ServiceDeps): JobHandler {
  return async (job) => runSchedule(deps, job.payload as ScheduleRunJob);
}
