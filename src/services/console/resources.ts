import { AppError } from '../../core/errors.js';
import { consoleVariables } from './variables.js';
import type { ServiceDeps } from '../deps.js';

/** Letters, digits and hyphens per label, at least two labels, 253 characters at most. */
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Whether a domain may be given to a rule: a well-formed name that is not one of the server's own
 * domains, and (for names under them) exactly one label deeper, as Appwrite allows. Whether a
 * project already holds it is asked of the proxy service.
 */
export function assertDomainAllowed(deps: ServiceDeps, value: string): void {
  if (/^https?:\/\//i.test(value)) throw new AppError('general_argument_invalid', 'Domain may not start with http:// or https://.');
  const domain = value.toLowerCase();
  const variables = consoleVariables(deps);
  const own = [variables._APP_DOMAIN_FUNCTIONS, ...variables._APP_DOMAIN_SITES.split(',')].filter((name) => name !== '');
  const underOwn = own.find((name) => domain.endsWith(`.${name}`));
  const allowed =
    DOMAIN_PATTERN.test(domain) &&
    !own.includes(domain) &&
    (underOwn === undefined || (!domain.slice(0, -underOwn.length - 1).includes('.') && !/^(commit|branch)-/.test(domain)));
  if (!allowed) throw new AppError('general_argument_invalid', 'This domain name is not allowed. Please use a different domain.');
}
