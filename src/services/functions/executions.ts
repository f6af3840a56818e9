import type { Caller } from '../../core/caller.js';
import { nowDateTime, formatDateTime, parseDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { findDeployment, type DeploymentRow, type FunctionRow } from '../../data/project/functions.js';
import {
  deleteExecutionRow,
  findExecution,
  insertExecution,
  listExecutionRows,
  updateExecutionRow,
  type ExecutionRow,
} from '../../data/project/executions.js';
import type { ServiceDeps } from '../deps.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { commitWithEvents } from '../event-outbox.js';
import { functionEvent } from './events.js';
import { runDeployment, type ExecutionRequest } from './executor.js';
import { requireFunction } from './functions.js';
import { toExecutionModel, type ExecutionModel } from './models.js';
import { EXECUTIONS_QUEUE, preferredNodeFor } from './placements.js';

export const EXECUTION_QUERY_ATTRIBUTES = ['trigger', 'status', 'responseStatusCode', 'duration', 'requestMethod', 'requestPath', 'deploymentId'] as const;

export interface ExecutionInput {
  body: string;
  async: boolean;
  path: string;
  method: string;
  headers: Record<string, string>;
  scheduledAt?: string | undefined;
  /** A fixed id for a trigger every node sees (an event on a shared bus): only one node records it. */
  executionId?: string | undefined;
}

/** What an async execution's job carries to the worker that runs it. */
export interface ExecutionJob {
  projectId: string;
  functionId: string;
  executionId: string;
  body: string;
  headers: Record<string, string>;
  userId?: string | undefined;
  sessionId?: string | undefined;
  ip?: string | undefined;
}

function readableBy(row: ExecutionRow): string[] {
  return row.user_id ? [`user:${row.user_id}`] : [];
}

function executionEvent(projectId: string, row: ExecutionRow, action: 'create' | 'update'): PlinthEvent {
  return functionEvent(projectId, row.function_id, {
    child: { kind: 'executions', id: row.id },
    action,
    payload: toExecutionModel(row),
    readableBy: readableBy(row),
  });
}

/** The function, if this caller may see and run it: one acting for the project runs any, others need one of its `execute` roles. */
async function requireRunnable(deps: ServiceDeps, projectId: string, functionId: string, caller: Caller): Promise<FunctionRow> {
  const fn = await requireFunction(deps, projectId, functionId);
  if (caller.actsForProject) return fn;
  if (fn.enabled !== 1) throw new AppError('function_not_found');
  const execute = JSON.parse(fn.execute) as string[];
  if (!execute.some((role) => caller.roles.includes(role))) {
    throw new AppError('user_unauthorized', `The current user is not authorized to execute this function. Required roles: ${execute.join(', ') || 'none'}.`);
  }
  return fn;
}

/** A new execution's row, before it runs; credentials never go into the stored request headers. */
function newExecutionRow(input: {
  id: string;
  functionId: string;
  deploymentId: string;
  userId: string | undefined;
  trigger: ExecutionRow['trigger'];
  status: ExecutionRow['status'];
  method: string;
  path: string;
  headers: Record<string, unknown>;
  scheduledAt: string | null;
}): ExecutionRow {
  const now = nowDateTime();
  const headers = Object.entries(input.headers)
    .map(([name, value]) => ({ name: name.toLowerCase(), value: String(value) }))
    .filter(({ name }) => !name.startsWith('x-appwrite-') && name !== 'cookie' && name !== 'authorization');
  return {
    id: input.id,
    function_id: input.functionId,
    deployment_id: input.deploymentId,
    user_id: input.userId ?? '',
    permissions: JSON.stringify(input.userId ? [`read("user:${input.userId}")`] : []),
    trigger: input.trigger,
    status: input.status,
    request_method: input.method,
    request_path: input.path,
    request_headers: JSON.stringify(headers),
    response_status_code: 0,
    response_body: '',
    response_headers: '[]',
    logs: '',
    errors: '',
    duration: 0,
    scheduled_at: input.scheduledAt,
    created_at: now,
    updated_at: now,
  };
}

/** Sync: runs now and answers the finished execution (201). Async or scheduled: queues it (202). */
export async function createExecution(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  caller: Caller,
  input: ExecutionInput,
  trigger: ExecutionRow['trigger'] = 'http',
): Promise<{ model: ExecutionModel; status: 201 | 202 }> {
  const fn = await requireRunnable(deps, projectId, functionId, caller);
  const db = deps.db.project(projectId);
  const deployment = fn.deployment_id ? await findDeployment(db, functionId, fn.deployment_id) : undefined;
  if (!deployment) throw new AppError('deployment_not_found', 'Deployment not found. Create a deployment before trying to execute a function.');
  if (deployment.status !== 'ready') throw new AppError('build_not_ready');

  let scheduledAt: Date | undefined;
  if (input.scheduledAt) {
    if (!input.async) throw new AppError('general_argument_invalid', 'Invalid `scheduledAt` param: scheduling needs `async` set to true.');
    scheduledAt = parseDateTime(input.scheduledAt);
    if (!scheduledAt || scheduledAt.getTime() <= Date.now()) {
      throw new AppError('general_argument_invalid', 'Invalid `scheduledAt` param: Value must be a valid date in the future.');
    }
  }

  const row = newExecutionRow({
    id: input.executionId ?? uniqueId(),
    functionId,
    deploymentId: deployment.id,
    userId: caller.userId,
    trigger,
    status: scheduledAt ? 'scheduled' : input.async ? 'waiting' : 'processing',
    method: input.method,
    path: input.path,
    headers: input.headers,
    scheduledAt: scheduledAt ? formatDateTime(scheduledAt) : null,
  });
  if (input.async) {
    const inserted = await commitWithEvents(deps, projectId, async (trx, emit) => {
      if (!(await insertExecution(trx, row))) return false;
      emit(executionEvent(projectId, row, 'create'));
      return true;
    });
    if (!inserted) return { model: toExecutionModel(row), status: 202 };
    // Queued once the row committed, so the worker finds it.
    const job: ExecutionJob = {
      projectId,
      functionId,
      executionId: row.id,
      body: input.body,
      headers: input.headers,
      userId: caller.userId,
      sessionId: caller.sessionId,
      ip: caller.ip,
    };
    await deps.queue.enqueue(EXECUTIONS_QUEUE, job, {
      projectId,
      maxAttempts: 1,
      preferredNode: await preferredNodeFor(deps, projectId, deployment.id),
      ...(scheduledAt ? { runAt: scheduledAt.getTime() } : {}),
    });
    return { model: toExecutionModel(row), status: 202 };
  }
  // A sync execution tells of itself once it ran (recordOutcome).
  if (!(await insertExecution(db, row))) return { model: toExecutionModel(row), status: 202 };

  const finished = await finishExecution(deps, projectId, fn, deployment, row, {
    executionId: row.id,
    trigger,
    method: input.method,
    path: input.path,
    headers: input.headers,
    body: Buffer.from(input.body, 'utf8'),
    userId: caller.userId,
    sessionId: caller.sessionId,
    clientIp: caller.ip,
  }, true);
  return { model: toExecutionModel(finished), status: 201 };
}

/** Runs the execution and records its outcome; the response body is kept for sync callers only. */
async function finishExecution(
  deps: ServiceDeps,
  projectId: string,
  fn: FunctionRow,
  deployment: DeploymentRow | undefined,
  row: ExecutionRow,
  request: ExecutionRequest,
  keepBody: boolean,
): Promise<ExecutionRow> {
  const result = deployment
    ? await runDeployment(deps, projectId, fn, deployment, request)
    : { status: 'failed' as const, statusCode: 500, body: Buffer.alloc(0), headers: [], allHeaders: {}, logs: '', errors: 'The deployment is gone.', duration: 0, coldStart: false };
  return recordOutcome(deps, projectId, row, result, keepBody ? 'create' : 'update', {
    deployment_id: deployment?.id ?? row.deployment_id,
    response_body: keepBody ? result.body.toString('utf8') : '',
  });
}

/** Stores what a run produced on its execution row, then publishes the change. */
async function recordOutcome(
  deps: ServiceDeps,
  projectId: string,
  row: ExecutionRow,
  result: Awaited<ReturnType<typeof runDeployment>>,
  action: 'create' | 'update',
  extra: Partial<ExecutionRow> = {},
): Promise<ExecutionRow> {
  const finished: ExecutionRow = {
    ...row,
    status: result.status,
    response_status_code: result.statusCode,
    response_headers: JSON.stringify(result.headers),
    logs: result.logs,
    errors: result.errors,
    duration: result.duration,
    updated_at: nowDateTime(),
    ...extra,
  };
  const { id: _id, function_id: _fn, created_at: _created, ...changes } = finished;
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await updateExecutionRow(trx, row.id, changes);
    emit(executionEvent(projectId, finished, action));
  });
  return finished;
}

/**
 * The queued half of an async execution; a second delivery of the same job does nothing.
 * Answers whether this call ran it (the status change from waiting is what one worker wins).
 */
export async function runQueuedExecution(deps: ServiceDeps, job: ExecutionJob): Promise<boolean> {
  const db = deps.db.project(job.projectId);
  const row = await findExecution(db, job.functionId, job.executionId);
  if (!row) return false;
  const fn = await requireFunction(deps, job.projectId, job.functionId).catch(() => undefined);
  if (!fn) return false;
  if (!(await updateExecutionRow(db, row.id, { status: 'processing', updated_at: nowDateTime() }, ['waiting', 'scheduled']))) return false;
  // The deployment active now runs it: a deployment activated while it waited wins.
  const deployment = await findDeployment(db, fn.id, fn.deployment_id || row.deployment_id);
  await finishExecution(deps, job.projectId, fn, deployment, { ...row, status: 'processing' }, {
    executionId: row.id,
    trigger: row.trigger,
    method: row.request_method,
    path: row.request_path,
    headers: job.headers,
    body: Buffer.from(job.body, 'utf8'),
    userId: job.userId,
    sessionId: job.sessionId,
    clientIp: job.ip,
  }, false);
  return true;
}

/** What a plain HTTP call to a function answers: the function's own response, as it gave it. */
export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A plain HTTP request to a function (a browser, a webhook): forwarded as it came, answered
 * with the function's response, and recorded as an execution. Only functions anyone may run
 * (`any` or `guests` in `execute`) answer such calls, as Appwrite's function domains do.
 */
export async function runHttpCall(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  caller: Caller,
  request: { method: string; path: string; headers: Record<string, string>; body: Buffer },
): Promise<HttpAnswer> {
  const fn = await requireFunction(deps, projectId, functionId);
  if (fn.enabled !== 1) throw new AppError('function_not_found');
  const execute = JSON.parse(fn.execute) as string[];
  if (!execute.includes('any') && !execute.includes('guests')) throw new AppError('function_execute_permission_missing');
  const db = deps.db.project(projectId);
  const deployment = fn.deployment_id ? await findDeployment(db, functionId, fn.deployment_id) : undefined;
  if (!deployment || deployment.status !== 'ready') throw new AppError('deployment_not_found', 'Deployment not found. Create a deployment before trying to execute a function.');

  const row = newExecutionRow({
    id: uniqueId(),
    functionId,
    deploymentId: deployment.id,
    userId: caller.userId,
    trigger: 'http',
    status: 'processing',
    method: request.method,
    path: request.path,
    headers: request.headers,
    scheduledAt: null,
  });
  await insertExecution(db, row);
  const result = await runDeployment(deps, projectId, fn, deployment, {
    executionId: row.id,
    trigger: 'http',
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body,
    userId: caller.userId,
    sessionId: caller.sessionId,
    clientIp: caller.ip,
  });
  await recordOutcome(deps, projectId, row, result, 'create');
  return { statusCode: result.statusCode, headers: result.allHeaders, body: result.body };
}

/** Servers see every execution of a function; a user sees their own. */
export async function listExecutions(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  caller: Caller,
  input: { queries: string[]; total: boolean },
): Promise<{ total: number; executions: ExecutionModel[] }> {
  await requireFunction(deps, projectId, functionId);
  const list = parseListQueries(input.queries, { attributes: EXECUTION_QUERY_ATTRIBUTES });
  const page = await listExecutionRows(deps.db.project(projectId), functionId, list, {
    total: input.total,
    ...(caller.actsForProject ? {} : { userId: caller.userId ?? '\u0000' }),
  });
  return { total: page.total, executions: page.rows.map(toExecutionModel) };
}

export async function getExecution(deps: ServiceDeps, projectId: string, functionId: string, caller: Caller, executionId: string): Promise<ExecutionModel> {
  await requireFunction(deps, projectId, functionId);
  const row = await findExecution(deps.db.project(projectId), functionId, executionId);
  if (!row || (!caller.actsForProject && (row.user_id === '' || row.user_id !== caller.userId))) throw new AppError('execution_not_found');
  return toExecutionModel(row);
}

/** Only a server deletes executions: the route's scopes are ones guests and users hold too. */
export async function deleteExecution(deps: ServiceDeps, projectId: string, functionId: string, caller: Caller, executionId: string): Promise<void> {
  if (!caller.actsForProject) throw new AppError('user_unauthorized');
  await requireFunction(deps, projectId, functionId);
  const db = deps.db.project(projectId);
  const row = await findExecution(db, functionId, executionId);
  if (!row) throw new AppError('execution_not_found');
  if (row.status === 'processing' || row.status === 'waiting') throw new AppError('execution_in_progress');
  await deleteExecutionRow(db, functionId, executionId);
}
