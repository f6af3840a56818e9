import type { Kysely } from 'kysely';
import { nowDateTime } from '../../core/datetime.js';
import { uniqueId } from '../../core/ids.js';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { PlatformTables, ProxyRuleRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

type Store = Kysely<PlatformTables>;

const RULES_LIST_TABLE: ListTable = {
  table: 'proxy_rules',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    domain: 'domain',
    type: 'type',
    trigger: 'trigger',
    deploymentResourceType: 'deployment_resource_type',
    deploymentResourceId: 'deployment_resource_id',
    deploymentId: 'deployment_id',
    deploymentVcsProviderBranch: 'deployment_vcs_provider_branch',
  },
  searchColumn: 'search',
};

/** The row of a new rule for a domain: a manual deployment rule naming nothing yet, unless `fields` say otherwise. */
export function newRuleRow(projectId: string, domain: string, fields: Partial<Omit<ProxyRuleRow, 'id' | 'project_id' | 'domain' | 'search'>>): ProxyRuleRow {
  const id = uniqueId();
  const now = nowDateTime();
  return {
    id,
    project_id: projectId,
    domain,
    type: 'deployment',
    trigger: 'manual',
    redirect_url: '',
    redirect_status_code: 0,
    deployment_id: '',
    deployment_resource_type: '',
    deployment_resource_id: '',
    deployment_vcs_provider_branch: '',
    status: 'created',
    logs: '',
    search: `${id} ${domain}`,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

/** Inserts the rule unless its domain (or id) is taken, by any project; false when it was. */
export async function insertRule(db: Store, row: ProxyRuleRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('proxy_rules').values(row).execute())) !== 'exists';
}

export async function findRule(db: Store, projectId: string, id: string): Promise<ProxyRuleRow | undefined> {
  return db.selectFrom('proxy_rules').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

/** The rule of a domain, whichever project holds it. */
export async function findRuleByDomain(db: Store, domain: string): Promise<ProxyRuleRow | undefined> {
  return db.selectFrom('proxy_rules').selectAll().where('domain', '=', domain).executeTakeFirst();
}

export async function listRuleRows(db: Store, projectId: string, list: ParsedList, options: { total: boolean; search?: string }): Promise<{ total: number; rows: ProxyRuleRow[] }> {
  return listRows<ProxyRuleRow>(db, RULES_LIST_TABLE, list, { ...options, where: { project_id: projectId } });
}

/** The rule after the change; undefined when the project has no such rule. */
export async function updateRuleRow(
  db: Store,
  projectId: string,
  id: string,
  changes: Partial<Pick<ProxyRuleRow, 'status' | 'logs' | 'updated_at'>>,
): Promise<ProxyRuleRow | undefined> {
  await db.updateTable('proxy_rules').set(changes).where('project_id', '=', projectId).where('id', '=', id).execute();
  return findRule(db, projectId, id);
}

/** False when the project has no such rule. */
export async function deleteRuleRow(db: Store, projectId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('proxy_rules').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Drops the rules that serve or redirect to a resource that is gone; returns them. */
export async function deleteRulesOfResource(db: Store, projectId: string, resourceType: 'function' | 'site', resourceId: string): Promise<ProxyRuleRow[]> {
  const rows = await db
    .selectFrom('proxy_rules')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('deployment_resource_type', '=', resourceType)
    .where('deployment_resource_id', '=', resourceId)
    .execute();
  if (rows.length > 0) await db.deleteFrom('proxy_rules').where('id', 'in', rows.map((row) => row.id)).execute();
  return rows;
}

/** Points a resource's deployment rules at its newly active deployment ('' when it has none). */
export async function pointRulesAtDeployment(db: Store, projectId: string, resourceType: 'function' | 'site', resourceId: string, deploymentId: string, now: string): Promise<void> {
  await db
    .updateTable('proxy_rules')
    .set({ deployment_id: deploymentId, updated_at: now })
    .where('project_id', '=', projectId)
    .where('type', '=', 'deployment')
    .where('deployment_resource_type', '=', resourceType)
    .where('deployment_resource_id', '=', resourceId)
    .execute();
}

/** The rules the server made for one deployment (its preview host); returns them. */
export async function deleteDeploymentRules(db: Store, projectId: string, deploymentId: string): Promise<ProxyRuleRow[]> {
  const rows = await db
    .selectFrom('proxy_rules')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('trigger', '=', 'deployment')
    .where('deployment_id', '=', deploymentId)
    .execute();
  if (rows.length > 0) await db.deleteFrom('proxy_rules').where('id', 'in', rows.map((row) => row.id)).execute();
  return rows;
}
