import type { ProxyRuleRow } from '../../data/tables.js';

/** Appwrite's `proxyRule` model. */
export interface RuleModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  domain: string;
  type: string;
  trigger: string;
  redirectUrl: string;
  redirectStatusCode: number;
  deploymentId: string;
  deploymentResourceType: string | null;
  deploymentResourceId: string;
  deploymentVcsProviderBranch: string;
  status: string;
  logs: string;
  renewAt: string;
}

export function toRuleModel(row: ProxyRuleRow): RuleModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    domain: row.domain,
    type: row.type,
    trigger: row.trigger,
    redirectUrl: row.redirect_url,
    redirectStatusCode: row.redirect_status_code,
    deploymentId: row.deployment_id,
    deploymentResourceType: row.deployment_resource_type === '' ? null : row.deployment_resource_type,
    deploymentResourceId: row.deployment_resource_id,
    deploymentVcsProviderBranch: row.deployment_vcs_provider_branch,
    // A rule never checked reads as unverified, as Appwrite shows it.
    status: row.status === 'created' ? 'unverified' : row.status,
    logs: row.logs,
    // Certificates belong to the reverse proxy in front, which renews them itself.
    renewAt: '',
  };
}
