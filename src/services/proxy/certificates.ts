import { isDirectSubdomain, isValidDomain, normalizeDomain } from '../../core/domains.js';
import { findFunctionHost } from '../../data/platform/function-hosts.js';
import { findRuleByDomain } from '../../data/platform/proxy-rules.js';
import type { ServiceDeps } from '../deps.js';
import { functionsDomainOf } from './domain-policy.js';

/**
 * Whether a TLS proxy in front may get a certificate for a name: a verified rule holds it, or it
 * is a function's own host name. Anything else would let any client make it ask for certificates.
 */
export async function isCertificateAllowed(deps: ServiceDeps, raw: string): Promise<boolean> {
  const domain = normalizeDomain(raw);
  if (!isValidDomain(domain)) return false;
  const rule = await findRuleByDomain(deps.db.platform, domain);
  if (rule) return rule.status === 'verified';
  const functionsDomain = functionsDomainOf(deps);
  if (!isDirectSubdomain(domain, functionsDomain)) return false;
  return (await findFunctionHost(deps.db.platform, domain.slice(0, -functionsDomain.length - 1))) !== undefined;
}
