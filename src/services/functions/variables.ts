import { nowDateTime } from '../../core/datetime.js';
import { decryptValue, encryptValue } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId, uniqueId } from '../../core/ids.js';
import {
  deleteFunctionVariableRow,
  findFunctionVariable,
  insertFunctionVariable,
  listFunctionVariableRows,
  updateFunctionVariableRow,
  type FunctionVariableChanges,
  type FunctionVariableRow,
} from '../../data/project/functions.js';
import { listVariableRows } from '../../data/platform/variables.js';
import type { ServiceDeps } from '../deps.js';
import type { VariableModel } from '../projects/index.js';
import { requireFunction } from './functions.js';
import { toFunctionVariableModel } from './models.js';

export function toModel(deps: ServiceDeps, row: FunctionVariableRow): VariableModel {
  // A secret value is never decrypted for the API.
  return toFunctionVariableModel(row, row.secret === 1 ? '' : decryptValue(deps.secretKey, row.value));
}

export async function createFunctionVariable(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  input: { variableId?: string | undefined; key: string; value: string; secret?: boolean | undefined },
): Promise<VariableModel> {
  await requireFunction(deps, projectId, functionId);
  const id = input.variableId ? resolveId(input.variableId) : uniqueId();
  if (!isValidCustomId(id)) {
    throw new AppError('general_argument_invalid', 'Invalid `variableId` param: up to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special character.');
  }
  const now = nowDateTime();
  const row: FunctionVariableRow = {
    id,
    function_id: functionId,
    key: input.key,
    value: encryptValue(deps.secretKey, input.value),
    secret: input.secret === true ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  if (!(await insertFunctionVariable(deps.db.project(projectId), row))) throw new AppError('variable_already_exists');
  return toModel(deps, row);
}

export async function listFunctionVariables(deps: ServiceDeps, projectId: string, functionId: string): Promise<{ total: number; variables: VariableModel[] }> {
  await requireFunction(deps, projectId, functionId);
  const rows = await listFunctionVariableRows(deps.db.project(projectId), functionId);
  return { total: rows.length, variables: rows.map((row) => toModel(deps, row)) };
}

export async function getFunctionVariable(deps: ServiceDeps, projectId: string, functionId: string, variableId: string): Promise<VariableModel> {
  await requireFunction(deps, projectId, functionId);
  const row = await findFunctionVariable(deps.db.project(projectId), functionId, variableId);
  if (!row) throw new AppError('variable_not_found');
  return toModel(deps, row);
}

export async function updateFunctionVariable(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  variableId: string,
  input: { key: string; value?: string | null; secret?: boolean | null },
): Promise<VariableModel> {
  await requireFunction(deps, projectId, functionId);
  const db = deps.db.project(projectId);
  const existing = await findFunctionVariable(db, functionId, variableId);
  if (!existing) throw new AppError('variable_not_found');
  if (existing.secret === 1 && input.secret === false) throw new AppError('variable_cannot_unset_secret');
  const changes: FunctionVariableChanges = { key: input.key, updated_at: nowDateTime() };
  if (input.value !== undefined && input.value !== null) changes.value = encryptValue(deps.secretKey, input.value);
  if (input.secret !== undefined && input.secret !== null) changes.secret = input.secret ? 1 : 0;
  const updated = await updateFunctionVariableRow(db, functionId, variableId, changes);
  if (updated === 'conflict') throw new AppError('variable_already_exists');
  if (!updated) throw new AppError('variable_not_found');
  return toModel(deps, updated);
}

export async function deleteFunctionVariable(deps: ServiceDeps, projectId: string, functionId: string, variableId: string): Promise<void> {
  await requireFunction(deps, projectId, functionId);
  if (!(await deleteFunctionVariableRow(deps.db.project(projectId), functionId, variableId))) throw new AppError('variable_not_found');
}

/** Project variables, then the function's own (which win): the environment function code sees. */
export async function functionEnvironment(deps: ServiceDeps, projectId: string, functionId: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const row of await listVariableRows(deps.db.platform, projectId)) env[row.key] = decryptValue(deps.secretKey, row.value);
  for (const row of await listFunctionVariableRows(deps.db.project(projectId), functionId)) env[row.key] = decryptValue(deps.secretKey, row.value);
  return env;
}
