import { isCronExpression } from '../../core/cron.js';
import { nowDateTime } from '../../core/datetime.js';
import { eventNames } from '../../core/events.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { findMessage } from '../../data/messaging/messages.js';
import { findProject } from '../../data/platform/projects.js';
import { findSchedule, insertSchedule, listScheduleRows, SCHEDULE_QUERY_ATTRIBUTES } from '../../data/platform/schedules.js';
import { findExecutionById } from '../../data/project/executions.js';
import { findFunction } from '../../data/project/functions.js';
import type { ScheduleRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { publishOutsideTransaction } from '../event-outbox.js';
import { toScheduleModel, type ScheduleModel } from './models.js';
import { impliedSchedules } from './resource-schedules.js';
import { queueNextRun } from './runs.js';

export const SCHEDULE_RESOURCE_TYPES = ['function', 'execution', 'message'] as const;
export type ScheduleResourceType = (typeof SCHEDULE_RESOURCE_TYPES)[number];

export interface CreateScheduleInput {
  resourceType: ScheduleResourceType;
  resourceId: string;
  schedule: string;
  active: boolean;
  data: Record<string, unknown> | undefined;
}

async function requireProject(deps: ServiceDeps, projectId: string): Promise<void> {
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
}

/** The resource a schedule names must exist in the project. */
async function requireResource(deps: ServiceDeps, projectId: string, type: ScheduleResourceType, id: string): Promise<void> {
  const store = deps.db.project(projectId);
  if (type === 'function' && !(await findFunction(store, id))) throw new AppError('function_not_found');
  if (type === 'execution' && !(await findExecutionById(store, id))) throw new AppError('execution_not_found');
  if (type === 'message' && !(await findMessage(store, id))) throw new AppError('message_not_found');
}

/**
 * Creates a schedule the server runs, as Appwrite's schedulers do, when it is active: a function
 * runs at every time of its cron expression; an execution or a message runs at the next one,
 * and its schedule is then removed.
 */
export async function createSchedule(deps: ServiceDeps, projectId: string, input: CreateScheduleInput): Promise<ScheduleModel> {
  if (!isCronExpression(input.schedule)) throw new AppError('general_argument_invalid', 'Invalid `schedule` param: String must be a valid cron expression');
  await requireProject(deps, projectId);
  await requireResource(deps, projectId, input.resourceType, input.resourceId);
  const now = nowDateTime();
  const row: ScheduleRow = {
    id: uniqueId(),
    project_id: projectId,
    resource_type: input.resourceType,
    resource_id: input.resourceId,
    resource_updated_at: now,
    schedule: input.schedule,
    data: JSON.stringify(input.data ?? {}),
    active: input.active ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  if (!(await insertSchedule(deps.db.platform, row))) throw new AppError('document_already_exists');
  if (row.active === 1) await queueNextRun(deps, row);
  const schedule = toScheduleModel(row);
  // For the console only, as Appwrite publishes it. Schedules live in the platform store and the
  // outbox in the project's: no one transaction holds both.
  await publishOutsideTransaction(deps, { projectId, names: eventNames([['schedules', row.id]], 'create'), payload: schedule, readableBy: [], timestamp: now });
  return schedule;
}

export async function getSchedule(deps: ServiceDeps, projectId: string, scheduleId: string): Promise<ScheduleModel> {
  await requireProject(deps, projectId);
  const row = (await findSchedule(deps.db.platform, projectId, scheduleId)) ?? (await impliedSchedules(deps, projectId)).find((implied) => implied.id === scheduleId);
  if (!row) throw new AppError('schedule_not_found');
  return toScheduleModel(row);
}

export async function listSchedules(deps: ServiceDeps, projectId: string, input: { queries: string[]; total: boolean }): Promise<{ total: number; schedules: ScheduleModel[] }> {
  await requireProject(deps, projectId);
  const list = parseListQueries(input.queries, { attributes: SCHEDULE_QUERY_ATTRIBUTES });
  const page = await listScheduleRows(deps.db.platform, deps.db.dialect, projectId, await impliedSchedules(deps, projectId), list, { total: input.total });
  return { total: page.total, schedules: page.rows.map(toScheduleModel) };
}
