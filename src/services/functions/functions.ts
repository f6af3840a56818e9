import { isCronExpression } from '../../core/cron.js';
import { rmSync } from 'node:fs';
import { decryptValue } from '../../core/crypto.js';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { isApiKeyScope } from '../../core/scopes.js';
import {
  deleteFunctionRow,
  findFunction,
  insertFunction,
  latestDeployment,
  listFunctionRows,
  listFunctionVariableRows,
  updateFunctionRow,
  type FunctionChanges,
  type FunctionRow,
} from '../../data/project/functions.js';
import { claimFunctionHosts, releaseFunctionHosts } from '../../data/platform/function-hosts.js';
import { deleteRulesOfResource } from '../../data/platform/proxy-rules.js';
import type { ServiceDeps } from '../deps.js';
import type { Kysely } from 'kysely';
import type { ProjectTables } from '../../data/tables.js';
import { commitWithEvents } from '../event-outbox.js';
import { functionEvent } from './events.js';
import { toFunctionModel, toFunctionVariableModel, type FunctionModel } from './models.js';
import { functionsHost, stopFunctionWork } from './runtime-host.js';
import { requireAvailableRuntime } from './runtimes.js';
import { DEFAULT_FUNCTIONS_SETTINGS } from './settings.js';
import { functionCacheDir, functionObjectsPrefix } from './storage-paths.js';
import { scheduleNextRun } from './schedules.js';

export const FUNCTION_QUERY_ATTRIBUTES = ['name', 'enabled', 'runtime', 'deploymentId', 'schedule', 'timeout', 'entrypoint', 'commands'] as const;

const CUSTOM_ID_RULES =
  "Invalid `functionId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";

export interface FunctionInput {
  name: string;
  runtime?: string | undefined;
  execute?: string[] | undefined;
  events?: string[] | undefined;
  schedule?: string | undefined;
  timeout?: number | undefined;
  enabled?: boolean | undefined;
  logging?: boolean | undefined;
  entrypoint?: string | undefined;
  commands?: string | undefined;
  scopes?: string[] | undefined;
  specification?: string | undefined;
  deploymentRetention?: number | undefined;
}

const DEFAULT_SPECIFICATION = 's-1vcpu-512mb';

function checkSchedule(schedule: string): string {
  if (schedule === '' || isCronExpression(schedule)) return schedule;
  throw new AppError('general_argument_invalid', 'Invalid `schedule` param: String must be a valid cron expression');
}

/** The injected API key gets these scopes: each must be one an API key can hold. */
function checkScopes(scopes: string[]): string[] {
  const unknown = scopes.filter((scope) => !isApiKeyScope(scope));
  if (unknown.length > 0) throw new AppError('general_argument_invalid', `Invalid \`scopes\` param: unknown scopes ${unknown.join(', ')}.`);
  return [...new Set(scopes)];
}

function checkTimeout(deps: ServiceDeps, timeout: number): number {
  const max = (deps.functions ?? DEFAULT_FUNCTIONS_SETTINGS).maxTimeoutSeconds;
  if (timeout < 1 || timeout > max) throw new AppError('general_argument_invalid', `Invalid \`timeout\` param: Value must be a valid range between 1 and ${max}`);
  return timeout;
}

export async function requireFunction(deps: ServiceDeps, projectId: string, functionId: string): Promise<FunctionRow> {
  const row = await findFunction(deps.db.project(projectId), functionId);
  if (!row) throw new AppError('function_not_found');
  return row;
}

/** `db` is the change's transaction when the model goes into its event. */
export async function functionModel(deps: ServiceDeps, projectId: string, row: FunctionRow, db: Kysely<ProjectTables> = deps.db.project(projectId)): Promise<FunctionModel> {
  const [latest, vars] = await Promise.all([latestDeployment(db, row.id), listFunctionVariableRows(db, row.id)]);
  return toFunctionModel(
    row,
    latest,
    vars.map((v) => toFunctionVariableModel(v, v.secret === 1 ? '' : decryptValue(deps.secretKey, v.value))),
  );
}

export async function createFunction(deps: ServiceDeps, projectId: string, functionId: string, input: FunctionInput & { runtime: string }): Promise<FunctionModel> {
  const id = resolveId(functionId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', CUSTOM_ID_RULES);
  requireAvailableRuntime(input.runtime, deps.functions);
  const now = nowDateTime();
  const row: FunctionRow = {
    id,
    name: input.name,
    runtime: input.runtime,
    execute: JSON.stringify(input.execute ?? []),
    events: JSON.stringify(input.events ?? []),
    scopes: JSON.stringify(checkScopes(input.scopes ?? [])),
    schedule: checkSchedule(input.schedule ?? ''),
    timeout: checkTimeout(deps, input.timeout ?? 15),
    enabled: input.enabled === false ? 0 : 1,
    logging: input.logging === false ? 0 : 1,
    entrypoint: input.entrypoint ?? '',
    commands: input.commands ?? '',
    specification: input.specification ?? DEFAULT_SPECIFICATION,
    deployment_retention: input.deploymentRetention ?? 0,
    deployment_id: '',
    deployment_created_at: '',
    search: `${id} ${input.name} ${input.runtime}`.toLowerCase(),
    created_at: now,
    updated_at: now,
  };
  const model = await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await insertFunction(trx, row))) throw new AppError('function_already_exists');
    // The hosts live in the platform store: claimed before the function commits, so a failed claim leaves no function.
    await claimFunctionHosts(deps.db.platform, id, projectId, (deps.functions ?? DEFAULT_FUNCTIONS_SETTINGS).hostDomain);
    const model = await functionModel(deps, projectId, row, trx);
    emit(functionEvent(projectId, id, { action: 'create', payload: model }));
    return model;
  });
  await scheduleNextRun(deps, projectId, row);
  return model;
}

export async function getFunction(deps: ServiceDeps, projectId: string, functionId: string): Promise<FunctionModel> {
  return functionModel(deps, projectId, await requireFunction(deps, projectId, functionId));
}

export async function listFunctions(
  deps: ServiceDeps,
  projectId: string,
  input: { queries: string[]; search: string; total: boolean },
): Promise<{ total: number; functions: FunctionModel[] }> {
  const list = parseListQueries(input.queries, { attributes: FUNCTION_QUERY_ATTRIBUTES });
  const page = await listFunctionRows(deps.db.project(projectId), list, { total: input.total, ...(input.search ? { search: input.search } : {}) });
  return { total: page.total, functions: await Promise.all(page.rows.map((row) => functionModel(deps, projectId, row))) };
}

/** Replaces the settings given; a changed runtime must be one this host runs. */
export async function updateFunction(deps: ServiceDeps, projectId: string, functionId: string, input: FunctionInput): Promise<FunctionModel> {
  const existing = await requireFunction(deps, projectId, functionId);
  if (input.runtime !== undefined && input.runtime !== existing.runtime) requireAvailableRuntime(input.runtime, deps.functions);
  const changes: FunctionChanges = { name: input.name, updated_at: nowDateTime() };
  if (input.runtime !== undefined) changes.runtime = input.runtime;
  if (input.execute !== undefined) changes.execute = JSON.stringify(input.execute);
  if (input.events !== undefined) changes.events = JSON.stringify(input.events);
  if (input.scopes !== undefined) changes.scopes = JSON.stringify(checkScopes(input.scopes));
  if (input.schedule !== undefined) changes.schedule = checkSchedule(input.schedule);
  if (input.timeout !== undefined) changes.timeout = checkTimeout(deps, input.timeout);
  if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
  if (input.logging !== undefined) changes.logging = input.logging ? 1 : 0;
  if (input.entrypoint !== undefined) changes.entrypoint = input.entrypoint;
  if (input.commands !== undefined) changes.commands = input.commands;
  if (input.specification !== undefined) changes.specification = input.specification;
  if (input.deploymentRetention !== undefined) changes.deployment_retention = input.deploymentRetention;
  changes.search = `${functionId} ${input.name} ${changes.runtime ?? existing.runtime}`.toLowerCase();
  const { row, model } = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await updateFunctionRow(trx, functionId, changes);
    if (!row) throw new AppError('function_not_found');
    const model = await functionModel(deps, projectId, row, trx);
    emit(functionEvent(projectId, functionId, { action: 'update', payload: model }));
    return { row, model };
  });
  await scheduleNextRun(deps, projectId, row);
  // Warm processes carry the old settings (runtime, variables): the next execution starts fresh.
  if (existing.deployment_id) functionsHost(deps).pool.stopGroup(existing.deployment_id);
  return model;
}

export async function deleteFunction(deps: ServiceDeps, projectId: string, functionId: string): Promise<void> {
  const existing = await requireFunction(deps, projectId, functionId);
  const model = await functionModel(deps, projectId, existing);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteFunctionRow(trx, functionId))) throw new AppError('function_not_found');
    emit(functionEvent(projectId, functionId, { action: 'delete', payload: model }));
  });
  await releaseFunctionHosts(deps.db.platform, functionId, projectId);
  // Its domains would serve or redirect for nothing; a later function of the same id must claim them anew.
  await deleteRulesOfResource(deps.db.platform, projectId, 'function', functionId);
  stopFunctionWork(deps, projectId, functionId);
  await deps.files.deletePrefix(functionObjectsPrefix(projectId, functionId));
  rmSync(functionCacheDir(deps.dataDir, projectId, functionId), { recursive: true, force: true });
}
