import { decryptValue, encryptValue } from '../../core/crypto.js';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId, uniqueId } from '../../core/ids.js';
import { listVariableRows } from '../../data/platform/variables.js';
import {
  deleteSiteVariableRow,
  findSiteVariable,
  insertSiteVariable,
  listSiteVariableRows,
  updateSiteVariableRow,
  type SiteVariableChanges,
  type SiteVariableRow,
} from '../../data/project/sites.js';
import type { ServiceDeps } from '../deps.js';
import type { VariableModel } from '../projects/index.js';
import { toSiteVariableModel } from './models.js';
import { requireSite } from './sites.js';

function toModel(deps: ServiceDeps, row: SiteVariableRow): VariableModel {
  // A secret value is never decrypted for the API.
  return toSiteVariableModel(row, row.secret === 1 ? '' : decryptValue(deps.secretKey, row.value));
}

/** A site's variables are secret unless said otherwise: a build may print them into public files. */
export async function createSiteVariable(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  input: { variableId?: string | undefined; key: string; value: string; secret?: boolean | undefined },
): Promise<VariableModel> {
  await requireSite(deps, projectId, siteId);
  const id = input.variableId ? resolveId(input.variableId) : uniqueId();
  if (!isValidCustomId(id)) {
    throw new AppError('general_argument_invalid', 'Invalid `variableId` param: up to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special character.');
  }
  const now = nowDateTime();
  const row: SiteVariableRow = {
    id,
    site_id: siteId,
    key: input.key,
    value: encryptValue(deps.secretKey, input.value),
    secret: input.secret === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  if (!(await insertSiteVariable(deps.db.project(projectId), row))) throw new AppError('variable_already_exists');
  return toModel(deps, row);
}

export async function listSiteVariables(deps: ServiceDeps, projectId: string, siteId: string): Promise<{ total: number; variables: VariableModel[] }> {
  await requireSite(deps, projectId, siteId);
  const rows = await listSiteVariableRows(deps.db.project(projectId), siteId);
  return { total: rows.length, variables: rows.map((row) => toModel(deps, row)) };
}

export async function getSiteVariable(deps: ServiceDeps, projectId: string, siteId: string, variableId: string): Promise<VariableModel> {
  await requireSite(deps, projectId, siteId);
  const row = await findSiteVariable(deps.db.project(projectId), siteId, variableId);
  if (!row) throw new AppError('variable_not_found');
  return toModel(deps, row);
}

export async function updateSiteVariable(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  variableId: string,
  input: { key: string; value?: string | null; secret?: boolean | null },
): Promise<VariableModel> {
  await requireSite(deps, projectId, siteId);
  const db = deps.db.project(projectId);
  const existing = await findSiteVariable(db, siteId, variableId);
  if (!existing) throw new AppError('variable_not_found');
  if (existing.secret === 1 && input.secret === false) throw new AppError('variable_cannot_unset_secret');
  const changes: SiteVariableChanges = { key: input.key, updated_at: nowDateTime() };
  if (input.value !== undefined && input.value !== null) changes.value = encryptValue(deps.secretKey, input.value);
  if (input.secret !== undefined && input.secret !== null) changes.secret = input.secret ? 1 : 0;
  const updated = await updateSiteVariableRow(db, siteId, variableId, changes);
  if (updated === 'conflict') throw new AppError('variable_already_exists');
  if (!updated) throw new AppError('variable_not_found');
  return toModel(deps, updated);
}

export async function deleteSiteVariable(deps: ServiceDeps, projectId: string, siteId: string, variableId: string): Promise<void> {
  await requireSite(deps, projectId, siteId);
  if (!(await deleteSiteVariableRow(deps.db.project(projectId), siteId, variableId))) throw new AppError('variable_not_found');
}

/** Project variables, then the site's own (which win): the environment a build sees. */
export async function siteEnvironment(deps: ServiceDeps, projectId: string, siteId: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const row of await listVariableRows(deps.db.platform, projectId)) env[row.key] = decryptValue(deps.secretKey, row.value);
  for (const row of await listSiteVariableRows(deps.db.project(projectId), siteId)) env[row.key] = decryptValue(deps.secretKey, row.value);
  return env;
}
