import { randomBytes } from 'node:crypto';
import { findFunctionHost } from '../../data/platform/function-hosts.js';
import { insertRule, newRuleRow } from '../../data/platform/proxy-rules.js';
import type { ServiceDeps } from '../deps.js';
import { DEFAULT_FUNCTIONS_SETTINGS } from './settings.js';

/**
 * Gives a new function the rule Appwrite made for it before 1.7, when clients did not ask for one
 * themselves: a fresh name under the functions domain, verified, following the function's active
 * deployment. A name some function or rule already holds gives way to another. Returns the domain.
 */
export async function createDefaultFunctionRule(deps: ServiceDeps, projectId: string, functionId: string): Promise<string> {
  const functionsDomain = (deps.functions ?? DEFAULT_FUNCTIONS_SETTINGS).hostDomain;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const label = randomBytes(10).toString('hex');
    if ((await findFunctionHost(deps.db.platform, label)) !== undefined) continue;
    const domain = `${label}.${functionsDomain}`;
    if (await insertRule(deps.db.platform, newRuleRow(projectId, domain, { deployment_resource_type: 'function', deployment_resource_id: functionId, status: 'verified' }))) return domain;
  }
  throw new Error(`no free rule name for function ${functionId}`);
}
