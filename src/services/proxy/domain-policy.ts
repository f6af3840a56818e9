import { isDirectSubdomain, isValidDomain, isWithinDomain, normalizeDomain } from '../../core/domains.js';
import { AppError } from '../../core/errors.js';
import { DEFAULT_FUNCTIONS_DOMAIN, LONG_FORM_SEPARATOR } from '../../core/function-host-labels.js';
import { findFunctionHost } from '../../data/platform/function-hosts.js';
import { findSiteHost } from '../../data/platform/site-hosts.js';
import { findRuleByDomain } from '../../data/platform/proxy-rules.js';
import type { ServiceDeps } from '../deps.js';
import { sitesDomainOf } from '../sites/index.js';
import { DEFAULT_PROXY_SETTINGS } from './settings.js';

/** What a new rule will send its domain to: a function of the project, the API, or something else. */
export type RuleTarget =
  | { kind: 'function'; projectId: string; functionId: string }
  | { kind: 'site'; projectId: string; siteId: string }
  | { kind: 'api' | 'other'; projectId: string };

export function functionsDomainOf(deps: ServiceDeps): string {
  return deps.functions?.hostDomain ?? DEFAULT_FUNCTIONS_DOMAIN;
}

/** The names this server answers on itself, and those its operator denies: no rule may take them. */
function serverNames(deps: ServiceDeps): string[] {
  const names = [functionsDomainOf(deps), 'localhost'];
  const settings = deps.proxy ?? DEFAULT_PROXY_SETTINGS;
  if (settings.serverDomain !== undefined) names.push(settings.serverDomain);
  names.push(...settings.deniedDomains);
  names.push(new URL(deps.publicUrl).hostname.toLowerCase());
  return names;
}

const NOT_ALLOWED = 'This domain name is not allowed. Please use a different domain.';

/**
 * The domain as the rule keeps it, once it is a valid name that is neither this server's own nor
 * a name under the functions domain that belongs to another function: such a name is one label
 * deep, holds no `--` (the long form of functions' own host names), is no other function's host,
 * and is no API rule's.
 * A name under the functions domain is the server's to vouch for: the result says so.
 */
export async function checkRuleDomain(deps: ServiceDeps, raw: string, target: RuleTarget): Promise<{ domain: string; serverOwned: boolean }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim())) throw new AppError('general_argument_invalid', 'Domain may not start with http:// or https://.');
  const domain = normalizeDomain(raw);
  if (!isValidDomain(domain)) throw new AppError('general_argument_invalid', 'Invalid `domain` param: Value must be a valid domain.');
  if (serverNames(deps).includes(domain)) throw new AppError('general_argument_invalid', NOT_ALLOWED);
  const sitesDomain = sitesDomainOf(deps);
  if (isWithinDomain(domain, sitesDomain)) return checkSitesName(deps, domain, sitesDomain, target);
  const functionsDomain = functionsDomainOf(deps);
  if (!isWithinDomain(domain, functionsDomain)) return { domain, serverOwned: false };
  // User code answers under the functions domain; the API never does, so no page there acts as it.
  if (!isDirectSubdomain(domain, functionsDomain) || target.kind === 'api') throw new AppError('general_argument_invalid', NOT_ALLOWED);
  const label = domain.slice(0, -functionsDomain.length - 1);
  if (label.includes(LONG_FORM_SEPARATOR)) throw new AppError('general_argument_invalid', NOT_ALLOWED);
  const holder = await findFunctionHost(deps.db.platform, label);
  const sameFunction = holder !== undefined && target.kind === 'function' && holder.projectId === target.projectId && holder.functionId === target.functionId;
  if (holder !== undefined && !sameFunction) throw new AppError('rule_already_exists');
  return { domain, serverOwned: true };
}

/**
 * A name under the sites domain goes to a site rule only (as `appwrite push sites` asks for one),
 * one label deep, without `--`, and never a name another site holds as its own host.
 */
async function checkSitesName(deps: ServiceDeps, domain: string, sitesDomain: string, target: RuleTarget): Promise<{ domain: string; serverOwned: boolean }> {
  if (!isDirectSubdomain(domain, sitesDomain) || target.kind !== 'site') throw new AppError('general_argument_invalid', NOT_ALLOWED);
  const label = domain.slice(0, -sitesDomain.length - 1);
  if (label.includes(LONG_FORM_SEPARATOR)) throw new AppError('general_argument_invalid', NOT_ALLOWED);
  const holder = await findSiteHost(deps.db.platform, label);
  if (holder !== undefined && !(holder.projectId === target.projectId && holder.siteId === target.siteId)) throw new AppError('rule_already_exists');
  return { domain, serverOwned: true };
}

/** Whether some project already holds the name: a rule's domain, or a function's or a site's own host name. */
export async function isDomainTaken(deps: ServiceDeps, raw: string): Promise<boolean> {
  const domain = normalizeDomain(raw);
  if (await findRuleByDomain(deps.db.platform, domain)) return true;
  const functionsDomain = functionsDomainOf(deps);
  if (isDirectSubdomain(domain, functionsDomain) && (await findFunctionHost(deps.db.platform, domain.slice(0, -functionsDomain.length - 1))) !== undefined) return true;
  const sitesDomain = sitesDomainOf(deps);
  return isDirectSubdomain(domain, sitesDomain) && (await findSiteHost(deps.db.platform, domain.slice(0, -sitesDomain.length - 1))) !== undefined;
}

/** Whether the operator's deny list or the server's own names hold the domain. */
export function isDomainDenied(deps: ServiceDeps, raw: string): boolean {
  return serverNames(deps).includes(normalizeDomain(raw));
}
