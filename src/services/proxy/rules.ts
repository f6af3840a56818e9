import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { eventNames } from '../../core/events.js';
import { parseListQueries } from '../../core/queries.js';
import { forgetUnruled } from './unknown-hosts.js';
import { deleteRuleRow, findRule, insertRule, listRuleRows, newRuleRow, updateRuleRow } from '../../data/platform/proxy-rules.js';
import type { ProxyRuleRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { publishOutsideTransaction } from '../event-outbox.js';
import { getFunction } from '../functions/index.js';
import { getSite } from '../sites/index.js';
import { verifyDomainRecords } from './dns-verification.js';
import { checkRuleDomain, type RuleTarget } from './domain-policy.js';
import { toRuleModel, type RuleModel } from './models.js';
import { DEFAULT_PROXY_SETTINGS } from './settings.js';

/** The attributes Appwrite lets rule lists filter and sort on. */
export const RULE_QUERY_ATTRIBUTES = ['domain', 'type', 'trigger', 'deploymentResourceType', 'deploymentResourceId', 'deploymentId', 'deploymentVcsProviderBranch'] as const;

export type RedirectStatusCode = 301 | 302 | 307 | 308;

/** What a new rule does with its domain. */
export type RuleAction =
  | { type: 'api' }
  | { type: 'function'; functionId: string; branch: string }
  | { type: 'site'; siteId: string; branch: string }
  | { type: 'redirect'; url: string; statusCode: RedirectStatusCode; resourceType: 'function' | 'site'; resourceId: string };

async function publishRuleEvent(deps: ServiceDeps, projectId: string, rule: RuleModel, action: 'create' | 'update' | 'delete'): Promise<void> {
  // Rules live in the platform store and the outbox in the project's: no one transaction holds both.
  await publishOutsideTransaction(deps, { projectId, names: eventNames([['rules', rule.$id]], action), payload: rule, readableBy: [], timestamp: nowDateTime() });
}

/** The function a rule names must be the project's; its active deployment is what the rule serves. */
async function activeDeploymentOf(deps: ServiceDeps, projectId: string, functionId: string): Promise<string> {
  try {
    return (await getFunction(deps, projectId, functionId)).deploymentId;
  } catch (error) {
    if (error instanceof AppError && error.type === 'function_not_found') throw new AppError('rule_resource_not_found');
    throw error;
  }
}

/** The site a rule names must be the project's; its live deployment is what the rule serves. */
async function liveDeploymentOf(deps: ServiceDeps, projectId: string, siteId: string): Promise<string> {
  try {
    return (await getSite(deps, projectId, siteId)).deploymentId;
  } catch (error) {
    if (error instanceof AppError && error.type === 'site_not_found') throw new AppError('rule_resource_not_found');
    throw error;
  }
}

/** The row of a new rule, before its domain is checked against DNS. */
async function draftRule(deps: ServiceDeps, projectId: string, domain: string, action: RuleAction): Promise<ProxyRuleRow> {
  const row = newRuleRow(projectId, domain, {});
  switch (action.type) {
    case 'api':
      return { ...row, type: 'api' };
    case 'function':
      return {
        ...row,
        deployment_id: await activeDeploymentOf(deps, projectId, action.functionId),
        deployment_resource_type: 'function',
        deployment_resource_id: action.functionId,
        deployment_vcs_provider_branch: action.branch,
        search: `${row.search} ${action.branch}`.trim(),
      };
    case 'site':
      return {
        ...row,
        deployment_id: await liveDeploymentOf(deps, projectId, action.siteId),
        deployment_resource_type: 'site',
        deployment_resource_id: action.siteId,
        deployment_vcs_provider_branch: action.branch,
        search: `${row.search} ${action.branch}`.trim(),
      };
    case 'redirect':
      if (action.resourceType === 'function') await activeDeploymentOf(deps, projectId, action.resourceId);
      else await liveDeploymentOf(deps, projectId, action.resourceId);
      return { ...row, type: 'redirect', redirect_url: action.url, redirect_status_code: action.statusCode, deployment_resource_type: action.resourceType, deployment_resource_id: action.resourceId };
  }
}

/**
 * Creates a rule for a domain no project holds yet. A name under the functions domain is the
 * server's own and verified at once; any other is checked against DNS now, and stays unverified
 * (with the reason in its logs) until its records point here.
 */
export async function createRule(deps: ServiceDeps, projectId: string, rawDomain: string, action: RuleAction): Promise<RuleModel> {
  const target: RuleTarget =
    action.type === 'function'
      ? { kind: 'function', projectId, functionId: action.functionId }
      : action.type === 'site'
        ? { kind: 'site', projectId, siteId: action.siteId }
        : { kind: action.type === 'api' ? 'api' : 'other', projectId };
  const { domain, serverOwned } = await checkRuleDomain(deps, rawDomain, target);
  const row = await draftRule(deps, projectId, domain, action);
  row.search = row.search.toLowerCase();
  if (serverOwned) row.status = 'verified';
  else {
    const verdict = await verifyDomainRecords(deps.proxy ?? DEFAULT_PROXY_SETTINGS, domain);
    if (verdict.verified) row.status = 'verified';
    else row.logs = verdict.reason;
  }
  if (!(await insertRule(deps.db.platform, row))) throw new AppError('rule_already_exists');
  forgetUnruled(deps, domain);
  const model = toRuleModel(row);
  await publishRuleEvent(deps, projectId, model, 'create');
  return model;
}

async function requireRule(deps: ServiceDeps, projectId: string, ruleId: string): Promise<ProxyRuleRow> {
  const row = await findRule(deps.db.platform, projectId, ruleId);
  if (!row) throw new AppError('rule_not_found');
  return row;
}

export async function getRule(deps: ServiceDeps, projectId: string, ruleId: string): Promise<RuleModel> {
  return toRuleModel(await requireRule(deps, projectId, ruleId));
}

export async function listRules(deps: ServiceDeps, projectId: string, input: { queries: string[]; search: string; total: boolean }): Promise<{ total: number; rules: RuleModel[] }> {
  const list = parseListQueries(input.queries, { attributes: RULE_QUERY_ATTRIBUTES });
  const page = await listRuleRows(deps.db.platform, projectId, list, { total: input.total, ...(input.search ? { search: input.search.toLowerCase() } : {}) });
  return { total: page.total, rules: page.rows.map(toRuleModel) };
}

export async function deleteRule(deps: ServiceDeps, projectId: string, ruleId: string): Promise<void> {
  const row = await requireRule(deps, projectId, ruleId);
  if (!(await deleteRuleRow(deps.db.platform, projectId, ruleId))) throw new AppError('rule_not_found');
  await publishRuleEvent(deps, projectId, toRuleModel(row), 'delete');
}

/**
 * Checks an unverified rule's DNS again: verified, or `rule_verification_failed` with what is
 * missing (also kept in its logs). A verified rule is answered as it is.
 */
export async function verifyRule(deps: ServiceDeps, projectId: string, ruleId: string): Promise<RuleModel> {
  const row = await requireRule(deps, projectId, ruleId);
  if (row.status === 'verified') return toRuleModel(row);
  const verdict = await verifyDomainRecords(deps.proxy ?? DEFAULT_PROXY_SETTINGS, row.domain);
  const changes = verdict.verified ? { status: 'verified', logs: '' } : { status: 'unverified', logs: verdict.reason };
  const updated = await updateRuleRow(deps.db.platform, projectId, ruleId, { ...changes, updated_at: nowDateTime() });
  if (!updated) throw new AppError('rule_not_found');
  if (!verdict.verified) throw new AppError('rule_verification_failed', verdict.reason);
  const model = toRuleModel(updated);
  await publishRuleEvent(deps, projectId, model, 'update');
  return model;
}
