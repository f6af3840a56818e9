import { nowDateTime } from '../../core/datetime.js';
import { decryptValue, encryptValue } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { findProject } from '../../data/platform/projects.js';
import {
  deleteVariableRow,
  findVariable,
  insertVariable,
  listVariablePage,
  updateVariableRow,
  type VariableChanges,
  VARIABLES_LIST_TABLE,
} from '../../data/platform/variables.js';
import type { VariableRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { toVariableModel, type VariableListModel, type VariableModel } from './platform-models.js';
import { parseListQueries } from '../../core/queries.js';
import { queryAttributes } from '../../data/list-query.js';
import { defaultLimitOf, type ListOptions } from './queries-param.js';

const MAX_KEY = 255;
const MAX_VALUE = 8192;

export interface CreateVariableInput {
  projectId: string;
  variableId: string;
  key: string;
  value: string;
  /** Secret unless said otherwise, as Appwrite does. */
  secret?: boolean;
}

export interface UpdateVariableInput {
  projectId: string;
  variableId: string;
  key?: string | null;
  value?: string | null;
  secret?: boolean | null;
}

function checkKey(key: string): string {
  if (key.length === 0 || key.length > MAX_KEY) {
    throw new AppError('general_argument_invalid', `Invalid \`key\` param: between 1 and ${MAX_KEY} characters.`);
  }
  return key;
}

function checkValue(value: string): string {
  if (value.length > MAX_VALUE) {
    throw new AppError('general_argument_invalid', `Invalid \`value\` param: at most ${MAX_VALUE} characters.`);
  }
  return value;
}

function toModel(deps: ServiceDeps, row: VariableRow): VariableModel {
  // A secret value is never decrypted for the API.
  return toVariableModel(row, row.secret === 1 ? '' : decryptValue(deps.secretKey, row.value));
}

export async function createVariable(deps: ServiceDeps, input: CreateVariableInput): Promise<VariableModel> {
  const id = resolveId(input.variableId);
  if (!isValidCustomId(id)) {
    throw new AppError(
      'general_argument_invalid',
      'Invalid `variableId` param: up to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special character.',
    );
  }
  const key = checkKey(input.key);
  const value = checkValue(input.value);
  if (!(await findProject(deps.db.platform, input.projectId))) throw new AppError('project_not_found');

  const now = nowDateTime();
  const row: VariableRow = {
    id,
    project_id: input.projectId,
    key,
    value: encryptValue(deps.secretKey, value),
    secret: input.secret === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  if (!(await insertVariable(deps.db.platform, row))) throw new AppError('variable_already_exists');
  return toModel(deps, row);
}

export async function getVariable(deps: ServiceDeps, projectId: string, variableId: string): Promise<VariableModel> {
  const row = await findVariable(deps.db.platform, projectId, variableId);
  if (!row) throw new AppError('variable_not_found');
  return toModel(deps, row);
}

/** Changes what is given; a secret variable stays secret. */
export async function updateVariable(deps: ServiceDeps, input: UpdateVariableInput): Promise<VariableModel> {
  const existing = await findVariable(deps.db.platform, input.projectId, input.variableId);
  if (!existing) throw new AppError('variable_not_found');
  if (existing.secret === 1 && input.secret === false) throw new AppError('variable_cannot_unset_secret');
  const { key, value, secret } = input;
  if ((key ?? null) === null && (value ?? null) === null && (secret ?? null) === null) {
    throw new AppError('general_argument_invalid', 'Give at least one of `key`, `value` and `secret` to change.');
  }

  const changes: VariableChanges = { updated_at: nowDateTime() };
  if (key !== undefined && key !== null) changes.key = checkKey(key);
  if (value !== undefined && value !== null) changes.value = encryptValue(deps.secretKey, checkValue(value));
  if (secret !== undefined && secret !== null) changes.secret = secret ? 1 : 0;
  if (!(await updateVariableRow(deps.db.platform, input.projectId, existing.id, changes))) {
    // The row was there a moment ago: its new key belongs to another variable, or it was just deleted.
    if (await findVariable(deps.db.platform, input.projectId, existing.id)) throw new AppError('variable_already_exists');
    throw new AppError('variable_not_found');
  }
  return toModel(deps, { ...existing, ...changes });
}

export async function deleteVariable(deps: ServiceDeps, projectId: string, variableId: string): Promise<void> {
  if (!(await deleteVariableRow(deps.db.platform, projectId, variableId))) throw new AppError('variable_not_found');
}

export async function listVariables(deps: ServiceDeps, projectId: string, options: ListOptions = {}): Promise<VariableListModel> {
  const list = parseListQueries(options.queries ?? [], { attributes: queryAttributes(VARIABLES_LIST_TABLE), ...defaultLimitOf(options) });
  const { total, rows } = await listVariablePage(deps.db.platform, projectId, list, { total: options.total !== false });
  return { total, variables: rows.map((row) => toModel(deps, row)) };
}
