import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import * as shared from './deployables.js';
import type { DeployableNames } from './deployables.js';
import type { ProjectTables } from '../tables.js';
import type { DeploymentStatus, SiteRow, SiteDeploymentRow, SiteVariableRow } from './deployable-tables.js';

export type { SiteRow, SiteDeploymentRow, SiteVariableRow } from './deployable-tables.js';

type Store = Kysely<ProjectTables>;

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

const TABLES: DeployableNames = {
  owners: 'sites',
  deployments: 'site_deployments',
  variables: 'site_variables',
  ownerColumn: 'site_id',
  deploymentsList: SITE_DEPLOYMENTS_LIST_TABLE,
};

/** False when the id is taken. */
export async function insertSite(db: Store, row: SiteRow): Promise<boolean> {
  return shared.insertOwner(db, TABLES, row);
}

export async function findSite(db: Store, id: string): Promise<SiteRow | undefined> {
  return shared.findOwner<SiteRow>(db, TABLES, id);
}

export type SiteChanges = Partial<Omit<SiteRow, 'id' | 'created_at'>>;

export async function updateSiteRow(db: Store, id: string, changes: SiteChanges): Promise<SiteRow | undefined> {
  return shared.updateOwner<SiteRow>(db, TABLES, id, changes);
}

export async function deleteSiteRow(db: Store, id: string): Promise<boolean> {
  await shared.deleteOwnerChildren(db, TABLES, id);
  return shared.deleteOwner(db, TABLES, id);
}

export async function listSiteRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }): Promise<{ total: number; rows: SiteRow[] }> {
  return listRows<SiteRow>(db, SITES_LIST_TABLE, list, options);
}

export async function insertSiteDeployment(db: Store, row: SiteDeploymentRow): Promise<void> {
  await shared.insertDeploymentRow(db, TABLES, row);
}

export async function findSiteDeployment(db: Store, siteId: string, id: string): Promise<SiteDeploymentRow | undefined> {
  return shared.findDeploymentRow<SiteDeploymentRow>(db, TABLES, siteId, id);
}

export async function latestSiteDeployment(db: Store, siteId: string): Promise<SiteDeploymentRow | undefined> {
  return shared.latestDeploymentRow<SiteDeploymentRow>(db, TABLES, siteId);
}

export type SiteDeploymentChanges = Partial<Omit<SiteDeploymentRow, 'id' | 'site_id' | 'created_at'>>;

/** Changes a deployment, optionally only while it is in one of `onlyFrom` statuses. */
export async function updateSiteDeploymentRow(
  db: Store,
  siteId: string,
  id: string,
  changes: SiteDeploymentChanges,
  onlyFrom?: readonly DeploymentStatus[],
): Promise<SiteDeploymentRow | undefined> {
  return shared.updateDeploymentRowOf<SiteDeploymentRow>(db, TABLES, siteId, id, changes, onlyFrom);
}

export async function deleteSiteDeploymentRow(db: Store, siteId: string, id: string): Promise<boolean> {
  return shared.deleteDeploymentRowOf(db, TABLES, siteId, id);
}

export async function listSiteDeploymentRows(
  db: Store,
  siteId: string,
  list: ParsedList,
  options: { total: boolean; search?: string },
): Promise<{ total: number; rows: SiteDeploymentRow[] }> {
  return shared.listDeploymentRowsOf<SiteDeploymentRow>(db, TABLES, siteId, list, options);
}

/** Marks a build ready and, when asked, makes it the live deployment, in one transaction. */
export async function completeSiteBuild(
  db: Store,
  siteId: string,
  deploymentId: string,
  changes: SiteDeploymentChanges,
  activate: boolean,
): Promise<SiteDeploymentRow | undefined> {
  return shared.completeBuildOf<SiteDeploymentRow>(db, TABLES, siteId, deploymentId, changes, activate);
}

export async function insertSiteVariable(db: Store, row: SiteVariableRow): Promise<boolean> {
  return shared.insertVariableRow(db, TABLES, row);
}

export async function findSiteVariable(db: Store, siteId: string, id: string): Promise<SiteVariableRow | undefined> {
  return shared.findVariableRow<SiteVariableRow>(db, TABLES, siteId, id);
}

export async function listSiteVariableRows(db: Store, siteId: string): Promise<SiteVariableRow[]> {
  return shared.listVariableRowsOf<SiteVariableRow>(db, TABLES, siteId);
}

export type SiteVariableChanges = shared.VariableChangesBase;

/** 'conflict' when another variable of the site has the key. */
export async function updateSiteVariableRow(db: Store, siteId: string, id: string, changes: SiteVariableChanges): Promise<SiteVariableRow | 'conflict' | undefined> {
  return shared.updateVariableRowOf<SiteVariableRow>(db, TABLES, siteId, id, changes);
}

export async function deleteSiteVariableRow(db: Store, siteId: string, id: string): Promise<boolean> {
  return shared.deleteVariableRowOf(db, TABLES, siteId, id);
}
