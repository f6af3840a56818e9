import { decryptValue, encryptValue } from '../../core/crypto.js';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId, uniqueId } from '../../core/ids.js';
import { listVariableRows } from '../../data/platform/variables.js';
import type { VariableChangesBase, VariableRowBase } from '../../data/project/deployables.js';
import type { ServiceDeps } from '../deps.js';
import type { VariableModel } from '../projects/index.js';

type ProjectDb = ReturnType<ServiceDeps['db']['project']>;

/** What tells a function's variables from a site's: the owner check, the rows and the model. */
export interface VariableResource<Row extends VariableRowBase> {
  /** Throws the resource's not-found error when it does not exist. */
  requireOwner(deps: ServiceDeps, projectId: string, ownerId: string): Promise<unknown>;
  /** Whether a variable created without `secret` is secret. */
  secretByDefault: boolean;
  newRow(ownerId: string, fields: VariableRowBase): Row;
  insert(db: ProjectDb, row: Row): Promise<boolean>;
  find(db: ProjectDb, ownerId: string, id: string): Promise<Row | undefined>;
  list(db: ProjectDb, ownerId: string): Promise<Row[]>;
  update(db: ProjectDb, ownerId: string, id: string, changes: VariableChangesBase): Promise<Row | 'conflict' | undefined>;
  remove(db: ProjectDb, ownerId: string, id: string): Promise<boolean>;
  toModel(row: Row, value: string): VariableModel;
}

function toModel<Row extends VariableRowBase>(resource: VariableResource<Row>, deps: ServiceDeps, row: Row): VariableModel {
  // A secret value is never decrypted for the API.
  return resource.toModel(row, row.secret === 1 ? '' : decryptValue(deps.secretKey, row.value));
}

export async function createResourceVariable<Row extends VariableRowBase>(
  resource: VariableResource<Row>,
  deps: ServiceDeps,
  projectId: string,
  ownerId: string,
  input: { variableId?: string | undefined; key: string; value: string; secret?: boolean | undefined },
): Promise<VariableModel> {
  await resource.requireOwner(deps, projectId, ownerId);
  const id = input.variableId ? resolveId(input.variableId) : uniqueId();
  if (!isValidCustomId(id)) {
    throw new AppError('general_argument_invalid', 'Invalid `variableId` param: up to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special character.');
  }
  const now = nowDateTime();
  const row = resource.newRow(ownerId, {
    id,
    key: input.key,
    value: encryptValue(deps.secretKey, input.value),
    secret: (input.secret ?? resource.secretByDefault) ? 1 : 0,
    created_at: now,
    updated_at: now,
  });
  if (!(await resource.insert(deps.db.project(projectId), row))) throw new AppError('variable_already_exists');
  return toModel(resource, deps, row);
}

export async function listResourceVariables<Row extends VariableRowBase>(
  resource: VariableResource<Row>,
  deps: ServiceDeps,
  projectId: string,
  ownerId: string,
): Promise<{ total: number; variables: VariableModel[] }> {
  await resource.requireOwner(deps, projectId, ownerId);
  const rows = await resource.list(deps.db.project(projectId), ownerId);
  return { total: rows.length, variables: rows.map((row) => toModel(resource, deps, row)) };
}

export async function getResourceVariable<Row extends VariableRowBase>(
  resource: VariableResource<Row>,
  deps: ServiceDeps,
  projectId: string,
  ownerId: string,
  variableId: string,
): Promise<VariableModel> {
  await resource.requireOwner(deps, projectId, ownerId);
  const row = await resource.find(deps.db.project(projectId), ownerId, variableId);
  if (!row) throw new AppError('variable_not_found');
  return toModel(resource, deps, row);
}

export async function updateResourceVariable<Row extends VariableRowBase>(
  resource: VariableResource<Row>,
  deps: ServiceDeps,
  projectId: string,
  ownerId: string,
  variableId: string,
  input: { key: string; value?: string | null; secret?: boolean | null },
): Promise<VariableModel> {
  await resource.requireOwner(deps, projectId, ownerId);
  const db = deps.db.project(projectId);
  const existing = await resource.find(db, ownerId, variableId);
  if (!existing) throw new AppError('variable_not_found');
  if (existing.secret === 1 && input.secret === false) throw new AppError('variable_cannot_unset_secret');
  const changes: VariableChangesBase = { key: input.key, updated_at: nowDateTime() };
  if (input.value !== undefined && input.value !== null) changes.value = encryptValue(deps.secretKey, input.value);
  if (input.secret !== undefined && input.secret !== null) changes.secret = input.secret ? 1 : 0;
  const updated = await resource.update(db, ownerId, variableId, changes);
  if (updated === 'conflict') throw new AppError('variable_already_exists');
  if (!updated) throw new AppError('variable_not_found');
  return toModel(resource, deps, updated);
}

export async function deleteResourceVariable<Row extends VariableRowBase>(
  resource: VariableResource<Row>,
  deps: ServiceDeps,
  projectId: string,
  ownerId: string,
  variableId: string,
): Promise<void> {
  await resource.requireOwner(deps, projectId, ownerId);
  if (!(await resource.remove(deps.db.project(projectId), ownerId, variableId))) throw new AppError('variable_not_found');
}

/** Project variables, then the resource's own (which win): the environment its code sees. */
export async function resourceEnvironment<Row extends VariableRowBase>(
  resource: VariableResource<Row>,
  deps: ServiceDeps,
  projectId: string,
  ownerId: string,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const row of await listVariableRows(deps.db.platform, projectId)) env[row.key] = decryptValue(deps.secretKey, row.value);
  for (const row of await resource.list(deps.db.project(projectId), ownerId)) env[row.key] = decryptValue(deps.secretKey, row.value);
  return env;
}
