import { rmSync } from 'node:fs';
import { decryptValue } from '../../core/crypto.js';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { deleteRulesOfResource } from '../../data/platform/proxy-rules.js';
import { claimSiteHosts, releaseSiteHosts } from '../../data/platform/site-hosts.js';
import {
  deleteSiteRow,
  findSite,
  insertSite,
  latestSiteDeployment,
  listSiteRows,
  listSiteVariableRows,
  updateSiteRow,
  type SiteChanges,
  type SiteRow,
} from '../../data/project/sites.js';
import type { ServiceDeps } from '../deps.js';
import type { Kysely } from 'kysely';
import type { ProjectTables } from '../../data/tables.js';
import { commitWithEvents } from '../event-outbox.js';
import { siteEvent } from './events.js';
import { abortSiteBuilds } from './running-builds.js';
import { forgetSiteForVisitors, forgetSiteHostLabels } from './site-rows.js';
import { requireFrameworkAdapter, requireSiteRuntime } from './frameworks.js';
import { toSiteModel, toSiteVariableModel, type SiteModel } from './models.js';
import { DEFAULT_SITES_SETTINGS } from './settings.js';
import { stopSsrProcesses } from './ssr-processes.js';
import { siteCacheDir, siteObjectsPrefix } from './storage-paths.js';

export const SITE_QUERY_ATTRIBUTES = ['name', 'enabled', 'framework', 'deploymentId', 'buildCommand', 'installCommand', 'outputDirectory'] as const;

const CUSTOM_ID_RULES =
  "Invalid `siteId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";
const DEFAULT_SPECIFICATION = 's-1vcpu-512mb';

export interface SiteInput {
  name: string;
  framework: string;
  adapter?: string | undefined;
  buildRuntime?: string | undefined;
  enabled?: boolean | undefined;
  logging?: boolean | undefined;
  timeout?: number | undefined;
  installCommand?: string | undefined;
  buildCommand?: string | undefined;
  startCommand?: string | undefined;
  outputDirectory?: string | undefined;
  fallbackFile?: string | undefined;
  specification?: string | undefined;
  deploymentRetention?: number | undefined;
}

export function sitesDomainOf(deps: ServiceDeps): string {
  return (deps.sites ?? DEFAULT_SITES_SETTINGS).hostDomain;
}

function checkTimeout(deps: ServiceDeps, timeout: number): number {
  const max = deps.functions?.maxTimeoutSeconds ?? 900;
  if (timeout < 1 || timeout > max) throw new AppError('general_argument_invalid', `Invalid \`timeout\` param: Value must be a valid range between 1 and ${max}`);
  return timeout;
}

/** A path inside the build, never out of it: relative, without `..`. */
function checkRelativePath(value: string, name: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('/') || trimmed.split(/[\\/]/).includes('..')) {
    throw new AppError('general_argument_invalid', `Invalid \`${name}\` param: must be a path inside the site's folder, without "..".`);
  }
  return trimmed;
}

export async function requireSite(deps: ServiceDeps, projectId: string, siteId: string): Promise<SiteRow> {
  const row = await findSite(deps.db.project(projectId), siteId);
  if (!row) throw new AppError('site_not_found');
  return row;
}

/** `db` is the change's transaction when the model goes into its event. */
export async function siteModel(deps: ServiceDeps, projectId: string, row: SiteRow, db: Kysely<ProjectTables> = deps.db.project(projectId)): Promise<SiteModel> {
  const [latest, vars] = await Promise.all([latestSiteDeployment(db, row.id), listSiteVariableRows(db, row.id)]);
  return toSiteModel(
    row,
    latest,
    vars.map((v) => toSiteVariableModel(v, v.secret === 1 ? '' : decryptValue(deps.secretKey, v.value))),
  );
}

export async function createSite(deps: ServiceDeps, projectId: string, siteId: string, input: SiteInput & { buildRuntime: string }): Promise<SiteModel> {
  const id = resolveId(siteId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', CUSTOM_ID_RULES);
  const adapter = input.adapter ?? 'static';
  const defaults = requireFrameworkAdapter(input.framework, adapter);
  requireSiteRuntime(input.buildRuntime, deps.functions);
  const now = nowDateTime();
  const row: SiteRow = {
    id,
    name: input.name,
    framework: input.framework,
    adapter,
    install_command: input.installCommand ?? defaults.installCommand,
    build_command: input.buildCommand ?? defaults.buildCommand,
    start_command: input.startCommand ?? defaults.startCommand ?? '',
    output_directory: checkRelativePath(input.outputDirectory ?? defaults.outputDirectory, 'outputDirectory'),
    fallback_file: checkRelativePath(input.fallbackFile ?? defaults.fallbackFile, 'fallbackFile'),
    build_runtime: input.buildRuntime,
    timeout: checkTimeout(deps, input.timeout ?? 30),
    enabled: input.enabled === false ? 0 : 1,
    logging: input.logging === false ? 0 : 1,
    specification: input.specification ?? DEFAULT_SPECIFICATION,
    deployment_retention: input.deploymentRetention ?? 0,
    deployment_id: '',
    deployment_created_at: '',
    search: `${id} ${input.name} ${input.framework}`.toLowerCase(),
    created_at: now,
    updated_at: now,
  };
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await insertSite(trx, row))) throw new AppError('site_already_exists');
    // The hosts live in the platform store: claimed before the site commits, so a failed claim leaves no site.
    await claimSiteHosts(deps.db.platform, id, projectId, sitesDomainOf(deps));
    const model = await siteModel(deps, projectId, row, trx);
    emit(siteEvent(projectId, id, { action: 'create', payload: model }));
    return model;
  });
}

export async function getSite(deps: ServiceDeps, projectId: string, siteId: string): Promise<SiteModel> {
  return siteModel(deps, projectId, await requireSite(deps, projectId, siteId));
}

export async function listSites(deps: ServiceDeps, projectId: string, input: { queries: string[]; search: string; total: boolean }): Promise<{ total: number; sites: SiteModel[] }> {
  const list = parseListQueries(input.queries, { attributes: SITE_QUERY_ATTRIBUTES });
  const page = await listSiteRows(deps.db.project(projectId), list, { total: input.total, ...(input.search ? { search: input.search } : {}) });
  return { total: page.total, sites: await Promise.all(page.rows.map((row) => siteModel(deps, projectId, row))) };
}

/** Replaces the settings given; what is left out keeps its value. */
export async function updateSite(deps: ServiceDeps, projectId: string, siteId: string, input: SiteInput): Promise<SiteModel> {
  const existing = await requireSite(deps, projectId, siteId);
  requireFrameworkAdapter(input.framework, input.adapter ?? existing.adapter);
  const changes: SiteChanges = { name: input.name, framework: input.framework, updated_at: nowDateTime() };
  if (input.adapter !== undefined) changes.adapter = input.adapter;
  if (input.buildRuntime !== undefined) changes.build_runtime = requireSiteRuntime(input.buildRuntime, deps.functions);
  if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
  if (input.logging !== undefined) changes.logging = input.logging ? 1 : 0;
  if (input.timeout !== undefined) changes.timeout = checkTimeout(deps, input.timeout);
  if (input.installCommand !== undefined) changes.install_command = input.installCommand;
  if (input.buildCommand !== undefined) changes.build_command = input.buildCommand;
  if (input.startCommand !== undefined) changes.start_command = input.startCommand;
  if (input.outputDirectory !== undefined) changes.output_directory = checkRelativePath(input.outputDirectory, 'outputDirectory');
  if (input.fallbackFile !== undefined) changes.fallback_file = checkRelativePath(input.fallbackFile, 'fallbackFile');
  if (input.specification !== undefined) changes.specification = input.specification;
  if (input.deploymentRetention !== undefined) changes.deployment_retention = input.deploymentRetention;
  changes.search = `${siteId} ${input.name} ${input.framework}`.toLowerCase();
  const model = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await updateSiteRow(trx, siteId, changes);
    if (!row) throw new AppError('site_not_found');
    const model = await siteModel(deps, projectId, row, trx);
    emit(siteEvent(projectId, siteId, { action: 'update', payload: model }));
    return model;
  }, { committed: () => forgetSiteForVisitors(deps, projectId, siteId) });
  return model;
}

export async function deleteSite(deps: ServiceDeps, projectId: string, siteId: string): Promise<void> {
  const existing = await requireSite(deps, projectId, siteId);
  const model = await siteModel(deps, projectId, existing);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteSiteRow(trx, siteId))) throw new AppError('site_not_found');
    emit(siteEvent(projectId, siteId, { action: 'delete', payload: model }));
  }, { committed: () => forgetSiteForVisitors(deps, projectId, siteId) });
  await releaseSiteHosts(deps.db.platform, siteId, projectId);
  forgetSiteHostLabels(deps);
  // Its domains would serve nothing; a later site of the same id must claim them anew.
  await deleteRulesOfResource(deps.db.platform, projectId, 'site', siteId);
  abortSiteBuilds(deps, projectId, siteId);
  if (existing.adapter === 'ssr') stopSsrProcesses(deps, projectId, siteId);
  await deps.files.deletePrefix(siteObjectsPrefix(projectId, siteId));
  rmSync(siteCacheDir(deps.dataDir, projectId, siteId), { recursive: true, force: true });
}
