import { createRequire } from 'node:module';
import { AppError } from '../../core/errors.js';
import { POLICY_SETTINGS } from '../../core/policy-settings.js';
import { readProjectSettings } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';

/**
 * The project's email policies, checked wherever an address is given to a user (sign-up,
 * Users API, invitations, OAuth, an email change). The order is Appwrite's: disposable,
 * aliased, free, then corporate, so with several policies on the most specific error wins.
 *
 * deny-corporate-email reads oddly: it is the "corporate addresses only" switch. The SDK
 * describes it as allowing only corporate addresses (neither free nor disposable), and its
 * error, user_email_not_corporate, says only work addresses are accepted. So it refuses
 * every free or disposable address, and a company's own domain passes.
 */
export async function assertEmailAllowed(deps: ServiceDeps, projectId: string, email: string): Promise<void> {
  const settings = await readProjectSettings(deps.db.platform, projectId);
  const on = (name: string) => settings.get(name) === true;
  const deny = {
    disposable: on(POLICY_SETTINGS.denyDisposableEmail),
    aliased: on(POLICY_SETTINGS.denyAliasedEmail),
    free: on(POLICY_SETTINGS.denyFreeEmail),
    corporate: on(POLICY_SETTINGS.denyCorporateEmail),
  };
  if (!deny.disposable && !deny.aliased && !deny.free && !deny.corporate) return;

  const { local, domain } = splitAddress(email);
  const disposable = isDisposableDomain(domain);
  if (deny.disposable && disposable) throw new AppError('user_email_disposable');
  if (deny.aliased && !isCanonical(local, domain)) throw new AppError('user_email_not_canonical');
  const free = !disposable && isFreeDomain(domain);
  if (deny.free && free) throw new AppError('user_email_free');
  if (deny.corporate && (free || disposable)) throw new AppError('user_email_not_corporate');
}

function splitAddress(email: string): { local: string; domain: string } {
  const at = email.lastIndexOf('@');
  return { local: email.slice(0, at).toLowerCase(), domain: email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '') };
}

/** Providers that ignore dots in the local part, so `j.doe` and `jdoe` reach one mailbox. */
const DOTLESS_PROVIDERS = new Set(['gmail.com', 'googlemail.com']);

/**
 * An address is an alias when it carries a sub-address tag (`name+tag@`), which most
 * providers deliver to `name@`, or, at Gmail, dots that the provider ignores.
 */
function isCanonical(local: string, domain: string): boolean {
  if (local.includes('+')) return false;
  return !(DOTLESS_PROVIDERS.has(domain) && local.includes('.'));
}

/**
 * The lists load on first use: they are large (about 120,000 and 97,000 domains) and most
 * projects never turn these policies on.
 *
 * Disposable: the disposable-email-domains package (MIT): exact domains, plus a wildcard
 * list whose every subdomain is disposable. A subdomain of a listed domain counts as well.
 */
let disposableDomains: Set<string> | undefined;

function isDisposableDomain(domain: string): boolean {
  if (!disposableDomains) {
    const load = createRequire(import.meta.url);
    disposableDomains = new Set([
      ...(load('disposable-email-domains/index.json') as string[]),
      ...(load('disposable-email-domains/wildcard.json') as string[]),
    ]);
  }
  const labels = domain.split('.');
  for (let start = 0; start < labels.length - 1; start++) {
    if (disposableDomains.has(labels.slice(start).join('.'))) return true;
  }
  return false;
}

/**
 * Free: the free-email-domains-list package (MIT). Its list also holds most disposable
 * domains; the caller asks this only of domains that are not disposable, so the two
 * categories stay apart as Appwrite keeps them. Its entry point pulls in a validator the
 * package does not declare, so only the data module is loaded.
 */
let freeDomains: ReadonlySet<string> | undefined;

function isFreeDomain(domain: string): boolean {
  if (!freeDomains) {
    freeDomains = (createRequire(import.meta.url)('free-email-domains-list/build/src/constants.js') as { DOMAINS: ReadonlySet<string> }).DOMAINS;
  }
  return freeDomains.has(domain);
}

/** What the user model tells about an address, as Appwrite 1.9.6 reports it beside the email. */
export interface EmailFacts {
  emailCanonical: string;
  emailIsFree: boolean | null;
  emailIsDisposable: boolean | null;
  emailIsCorporate: boolean | null;
  emailIsCanonical: boolean | null;
}

const NO_EMAIL: EmailFacts = { emailCanonical: '', emailIsFree: null, emailIsDisposable: null, emailIsCorporate: null, emailIsCanonical: null };

/**
 * The address without its sub-address tag (and, at Gmail, without the dots Gmail ignores),
 * and whether its domain is a free, disposable or corporate one. No address: nothing known.
 */
export function describeEmail(email: string | null): EmailFacts {
  if (!email || !email.includes('@')) return NO_EMAIL;
  const { local, domain } = splitAddress(email);
  const untagged = local.split('+')[0] ?? local;
  const canonicalLocal = DOTLESS_PROVIDERS.has(domain) ? untagged.replace(/\./g, '') : untagged;
  const canonical = `${canonicalLocal}@${domain}`;
  const disposable = isDisposableDomain(domain);
  const free = !disposable && isFreeDomain(domain);
  return {
    emailCanonical: canonical,
    emailIsFree: free,
    emailIsDisposable: disposable,
    emailIsCorporate: !free && !disposable,
    emailIsCanonical: email.toLowerCase() === canonical,
  };
}
