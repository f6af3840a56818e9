import { randomBytes } from 'node:crypto';
import { LONG_FORM_SEPARATOR } from '../../core/function-host-labels.js';
import { deleteDeploymentRules, insertRule, newRuleRow } from '../../data/platform/proxy-rules.js';
import { findSiteHost } from '../../data/platform/site-hosts.js';
import type { ServiceDeps } from '../deps.js';
import { sitesDomainOf } from './sites.js';

/** A DNS label: at most 63 of these characters; `xn--` would read as punycode. */
const LABEL = /^[a-z0-9_-]{1,63}$/;

/**
 * The label of a deployment's preview host: `<deploymentId>-<siteId>` when it makes a free label.
 * It holds no `--`, so no site's long-form name equals it, and the deployment id in it is drawn
 * by the server, so no one can take the name before the deployment exists.
 */
function readableLabel(deploymentId: string, siteId: string): string | undefined {
  const label = `${deploymentId}-${siteId}`.toLowerCase();
  return LABEL.test(label) && !label.includes(LONG_FORM_SEPARATOR) ? label : undefined;
}

/**
 * Gives a deployment its own host, `<deploymentId>-<siteId>.sites.<domain>`, which serves that
 * deployment whether or not it is live. It is a rule the server makes, as Appwrite's previews are:
 * listing the project's rules with `deploymentId` finds it. A name some site or rule already holds
 * gives way to a random one. Returns the domain.
 */
export async function createPreviewHost(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): Promise<string> {
  const sitesDomain = sitesDomainOf(deps);
  const readable = readableLabel(deploymentId, siteId);
  const labels = [readable, randomBytes(10).toString('hex'), randomBytes(10).toString('hex')];
  for (const label of labels) {
    if (label === undefined || (await findSiteHost(deps.db.platform, label)) !== undefined) continue;
    const domain = `${label}.${sitesDomain}`;
    if (await insertRule(deps.db.platform, newRuleRow(projectId, domain, {
        trigger: 'deployment',
        deployment_id: deploymentId,
        deployment_resource_type: 'site',
        deployment_resource_id: siteId,
        status: 'verified',
      }))) return domain;
  }
  throw new Error(`no free preview host for deployment ${deploymentId}`);
}

export async function deletePreviewHosts(deps: ServiceDeps, projectId: string, deploymentId: string): Promise<void> {
  await deleteDeploymentRules(deps.db.platform, projectId, deploymentId);
}
