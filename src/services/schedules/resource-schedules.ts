import { createHash } from 'node:crypto';
import { listScheduledMessageRows } from '../../data/messaging/messages.js';
import { listScheduledExecutionRows, type ExecutionRow } from '../../data/project/executions.js';
import { listFunctionScheduleFacts, type FunctionScheduleFacts } from '../../data/project/functions.js';
import type { MessageRow } from '../../data/messaging/tables.js';
import type { ScheduleRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';

/**
 * The schedules a project's resources imply, as Appwrite keeps one for each: every function
 * (its cron, active while it has one, is enabled and has a deployment), and every execution and
 * message waiting for its `scheduledAt` (the schedule is that time). They are read from the
 * resources on each call, so they always say what the server will run; their ids are derived
 * from the resource's, so they stay the same between reads.
 */
export async function impliedSchedules(deps: ServiceDeps, projectId: string): Promise<ScheduleRow[]> {
  const store = deps.db.project(projectId);
  const [functions, executions, messages] = await Promise.all([
    listFunctionScheduleFacts(store),
    listScheduledExecutionRows(store),
    listScheduledMessageRows(store),
  ]);
  return [...functions.map((fn) => ofFunction(projectId, fn)), ...executions.map((row) => ofExecution(projectId, row)), ...messages.map((row) => ofMessage(projectId, row))];
}

/** A stable id of the schedule a resource implies, shaped as Appwrite's unique ids. */
function impliedScheduleId(type: ScheduleRow['resource_type'], resourceId: string): string {
  return createHash('sha256').update(`${type}:${resourceId}`).digest('hex').slice(0, 20);
}

function ofFunction(projectId: string, fn: FunctionScheduleFacts): ScheduleRow {
  const active = fn.schedule !== '' && fn.enabled === 1 && fn.deployment_id !== '';
  return implied(projectId, 'function', fn.id, { schedule: fn.schedule, active, data: {}, createdAt: fn.created_at, updatedAt: fn.updated_at });
}

function ofExecution(projectId: string, row: ExecutionRow): ScheduleRow {
  const headers = Object.fromEntries((JSON.parse(row.request_headers) as Array<{ name: string; value: string }>).map(({ name, value }) => [name, value]));
  const data = { method: row.request_method, path: row.request_path, headers, ...(row.user_id ? { userId: row.user_id } : {}) };
  return implied(projectId, 'execution', row.id, { schedule: row.scheduled_at ?? '', active: true, data, createdAt: row.created_at, updatedAt: row.updated_at });
}

function ofMessage(projectId: string, row: MessageRow): ScheduleRow {
  return implied(projectId, 'message', row.id, { schedule: row.scheduled_at ?? '', active: true, data: {}, createdAt: row.created_at, updatedAt: row.updated_at });
}

function implied(
  projectId: string,
  type: ScheduleRow['resource_type'],
  resourceId: string,
  fields: { schedule: string; active: boolean; data: Record<string, unknown>; createdAt: string; updatedAt: string },
): ScheduleRow {
  return {
    id: impliedScheduleId(type, resourceId),
    project_id: projectId,
    resource_type: type,
    resource_id: resourceId,
    resource_updated_at: fields.updatedAt,
    schedule: fields.schedule,
    data: JSON.stringify(fields.data),
    active: fields.active ? 1 : 0,
    created_at: fields.createdAt,
    updated_at: fields.updatedAt,
  };
}
