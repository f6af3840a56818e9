import { nextCronRun } from '../../core/cron.js';
import { findMessage } from '../../data/messaging/messages.js';
import { deleteScheduleRow, findSchedule } from '../../data/platform/schedules.js';
import { findExecutionById } from '../../data/project/executions.js';
import type { ScheduleRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { EXECUTIONS_QUEUE, runFunctionOnSchedule, type ExecutionJob } from '../functions/index.js';
import { deliverMessage } from '../messaging/index.js';

export const SCHEDULES_QUEUE = 'schedules';

/** The next run of a schedule, queued for its time; stale once the schedule changed or went. */
export interface ScheduleRunJob {
  projectId: string;
  scheduleId: string;
  /** The schedule's `updated_at` when the run was queued. */
  version: string;
}

/** Queues the schedule's next run at its cron's next time, in the durable queue every node shares. */
export async function queueNextRun(deps: ServiceDeps, row: ScheduleRow): Promise<void> {
  const next = nextCronRun(row.schedule);
  if (!next) return;
  const job: ScheduleRunJob = { projectId: row.project_id, scheduleId: row.id, version: row.updated_at };
  await deps.queue.enqueue(SCHEDULES_QUEUE, job, { projectId: row.project_id, maxAttempts: 1, runAt: next.getTime() });
}

/** What an execution's schedule keeps of its request. */
interface ExecutionData {
  body?: unknown;
  headers?: unknown;
  userId?: unknown;
}

/**
 * Runs a schedule once: a function runs and its next time is queued; an execution or a message
 * is handed to its queue and the schedule removed. A resource gone since does nothing.
 */
export async function runSchedule(deps: ServiceDeps, job: ScheduleRunJob): Promise<void> {
  const row = await findSchedule(deps.db.platform, job.projectId, job.scheduleId);
  if (!row || row.active !== 1 || row.updated_at !== job.version) return;
  if (row.resource_type === 'function') {
    try {
      await runFunctionOnSchedule(deps, row.project_id, row.resource_id);
    } catch {
      // Disabled, or no ready deployment yet: the schedule keeps its times until there is one.
    }
    await queueNextRun(deps, row);
    return;
  }
  await deleteScheduleRow(deps.db.platform, row.project_id, row.id);
  const store = deps.db.project(row.project_id);
  if (row.resource_type === 'execution') {
    const execution = await findExecutionById(store, row.resource_id);
    if (!execution) return;
    const data = JSON.parse(row.data) as ExecutionData;
    const run: ExecutionJob = {
      projectId: row.project_id,
      functionId: execution.function_id,
      executionId: execution.id,
      body: typeof data.body === 'string' ? data.body : '',
      headers: isTextRecord(data.headers) ? data.headers : {},
      ...(typeof data.userId === 'string' && data.userId !== '' ? { userId: data.userId } : {}),
    };
    await deps.queue.enqueue(EXECUTIONS_QUEUE, run, { projectId: row.project_id });
    return;
  }
  const message = await findMessage(store, row.resource_id);
  if (message) await deliverMessage(deps, row.project_id, { type: 'external', messageId: message.id, scheduledAt: message.scheduled_at });
}

function isTextRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}
