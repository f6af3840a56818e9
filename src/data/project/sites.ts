import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { DeploymentStatus } from './functions.js';

export interface SiteRow {
  id: string;
  name: string;
  framework: string;
  adapter: string;
  install_command: string;
  build_command: string;
  start_command: string;
  output_directory: string;
  fallback_file: string;
  build_runtime: string;
  timeout: number;
  enabled: number;
  logging: number;
  specification: string;
  deployment_retention: number;
  deployment_id: string;
  deployment_created_at: string;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface SiteDeploymentRow {
  id: string;
  site_id: string;
  install_command: string;
  build_command: string;
  output_directory: string;
  activate: number;
  status: DeploymentStatus;
  source_size: number;
  build_size: number;
  build_logs: string;
  build_duration: number;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface SiteVariableRow {
  id: string;
  site_id: string;
  key: string;
  value: string;
  secret: number;
  created_at: string;
  updated_at: string;
}

interface SiteTables {
  sites: SiteRow;
  site_deployments: SiteDeploymentRow;
  site_variables: SiteVariableRow;
}

type Store = Kysely<any>;

export const SITES_LIST_TABLE: ListTable = {
  table: 'sites',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    enabled: 'enabled',
    framework: 'framework',
    deploymentId: 'deployment_id',
    buildCommand: 'build_command',
    installCommand: 'install_command',
    outputDirectory: 'output_directory',
  },
  searchColumn: 'search',
  booleanColumns: ['enabled'],
  numberColumns: [],
};

export const SITE_DEPLOYMENTS_LIST_TABLE: ListTable = {
  table: 'site_deployments',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    size: 'source_size',
    sourceSize: 'source_size',
    buildSize: 'build_size',
    buildDuration: 'build_duration',
    activate: 'activate',
    buildId: 'id',
    status: 'status',
  },
  searchColumn: 'search',
  booleanColumns: ['activate'],
  numberColumns: ['source_size', 'build_size', 'build_duration'],
};

function store(db: Store): Kysely<SiteTables> {
  return db as Kysely<SiteTables>;
}

/** False when the id is taken. */
export async function insertSite(db: Store, row: SiteRow): Promise<boolean> {
  return store(db).transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('sites').select('id').where('id', '=', row.id).executeTakeFirst();
    if (taken) return false;
    await trx.insertInto('sites').values(row).execute();
    return true;
  });
}

export async function findSite(db: Store, id: string): Promise<SiteRow | undefined> {
  return store(db).selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

export type SiteChanges = Partial<Omit<SiteRow, 'id' | 'created_at'>>;

export async function updateSiteRow(db: Store, id: string, changes: SiteChanges): Promise<SiteRow | undefined> {
  const result = await store(db).updateTable('sites').set(changes).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findSite(db, id);
}

export async function deleteSiteRow(db: Store, id: string): Promise<boolean> {
  // Children first: SQLite enforces the cascade only with foreign keys on.
  await store(db).deleteFrom('site_variables').where('site_id', '=', id).execute();
  await store(db).deleteFrom('site_deployments').where('site_id', '=', id).execute();
  const result = await store(db).deleteFrom('sites').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listSiteRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }): Promise<{ total: number; rows: SiteRow[] }> {
  return listRows<SiteRow>(db, SITES_LIST_TABLE, list, options);
}

export async function insertSiteDeployment(db: Store, row: SiteDeploymentRow): Promise<void> {
  await store(db).insertInto('site_deployments').values(row).execute();
}

export async function findSiteDeployment(db: Store, siteId: string, id: string): Promise<SiteDeploymentRow | undefined> {
  const row = await store(db).selectFrom('site_deployments').selectAll().where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
  return row ? normalize(row) : undefined;
}

export async function latestSiteDeployment(db: Store, siteId: string): Promise<SiteDeploymentRow | undefined> {
  const row = await store(db)
    .selectFrom('site_deployments')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? normalize(row) : undefined;
}

export type SiteDeploymentChanges = Partial<Omit<SiteDeploymentRow, 'id' | 'site_id' | 'created_at'>>;

/** Changes a deployment, optionally only while it is in one of `onlyFrom` statuses (a cancel and a finishing build cannot both win). */
export async function updateSiteDeploymentRow(
  db: Store,
  siteId: string,
  id: string,
  changes: SiteDeploymentChanges,
  onlyFrom?: readonly DeploymentStatus[],
): Promise<SiteDeploymentRow | undefined> {
  let update = store(db).updateTable('site_deployments').set(changes).where('id', '=', id).where('site_id', '=', siteId);
  if (onlyFrom) update = update.where('status', 'in', [...onlyFrom]);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findSiteDeployment(db, siteId, id);
}

export async function deleteSiteDeploymentRow(db: Store, siteId: string, id: string): Promise<boolean> {
  const result = await store(db).deleteFrom('site_deployments').where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listSiteDeploymentRows(
  db: Store,
  siteId: string,
  list: ParsedList,
  options: { total: boolean; search?: string },
): Promise<{ total: number; rows: SiteDeploymentRow[] }> {
  const page = await listRows<SiteDeploymentRow>(db, SITE_DEPLOYMENTS_LIST_TABLE, list, { ...options, where: { site_id: siteId } });
  return { total: page.total, rows: page.rows.map(normalize) };
}

function normalize(row: SiteDeploymentRow): SiteDeploymentRow {
  // PostgreSQL returns bigint columns as text.
  return { ...row, source_size: Number(row.source_size), build_size: Number(row.build_size) };
}

/**
 * Marks a build ready and, when asked, makes it the live deployment, in one transaction: visitors
 * see the old deployment or the new one, never a ready one that should be live but is not yet.
 * Undefined when the deployment left `building` meanwhile (canceled or deleted).
 */
export async function completeSiteBuild(
  db: Store,
  siteId: string,
  deploymentId: string,
  changes: SiteDeploymentChanges,
  activate: boolean,
): Promise<SiteDeploymentRow | undefined> {
  return store(db).transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('site_deployments')
      .set({ ...changes, status: 'ready' })
      .where('id', '=', deploymentId)
      .where('site_id', '=', siteId)
      .where('status', '=', 'building')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return undefined;
    const row = normalize(await trx.selectFrom('site_deployments').selectAll().where('id', '=', deploymentId).executeTakeFirstOrThrow());
    if (activate) {
      await trx.updateTable('sites').set({ deployment_id: row.id, deployment_created_at: row.created_at, updated_at: row.updated_at }).where('id', '=', siteId).execute();
    }
    return row;
  });
}

export async function insertSiteVariable(db: Store, row: SiteVariableRow): Promise<boolean> {
  return store(db).transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('site_variables')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', row.id), eb.and([eb('site_id', '=', row.site_id), eb('key', '=', row.key)])]))
      .executeTakeFirst();
    if (taken) return false;
    await trx.insertInto('site_variables').values(row).execute();
    return true;
  });
}

export async function findSiteVariable(db: Store, siteId: string, id: string): Promise<SiteVariableRow | undefined> {
  return store(db).selectFrom('site_variables').selectAll().where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
}

export async function listSiteVariableRows(db: Store, siteId: string): Promise<SiteVariableRow[]> {
  return store(db).selectFrom('site_variables').selectAll().where('site_id', '=', siteId).orderBy('created_at').orderBy('id').execute();
}

export type SiteVariableChanges = Partial<Pick<SiteVariableRow, 'key' | 'value' | 'secret'>> & Pick<SiteVariableRow, 'updated_at'>;

/** 'conflict' when another variable of the site has the key. */
export async function updateSiteVariableRow(db: Store, siteId: string, id: string, changes: SiteVariableChanges): Promise<SiteVariableRow | 'conflict' | undefined> {
  return store(db).transaction().execute(async (trx) => {
    if (changes.key !== undefined) {
      const clash = await trx.selectFrom('site_variables').select('id').where('site_id', '=', siteId).where('key', '=', changes.key).where('id', '!=', id).executeTakeFirst();
      if (clash) return 'conflict';
    }
    const result = await trx.updateTable('site_variables').set(changes).where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return trx.selectFrom('site_variables').selectAll().where('id', '=', id).executeTakeFirst();
  });
}

export async function deleteSiteVariableRow(db: Store, siteId: string, id: string): Promise<boolean> {
  const result = await store(db).deleteFrom('site_variables').where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
