/** A DNS name holds at most 253 characters, each label 1 to 63 of letters, digits and inner hyphens. */
const MAX_DOMAIN = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The name as rules keep it: lower case, without the root's trailing dot. */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Whether a (normalized) name is a domain a rule may hold: at least two labels, a top-level label
 * that is not all digits (so no IP address), and no scheme, port, path or wildcard.
 */
export function isValidDomain(domain: string): boolean {
  if (domain === '' || domain.length > MAX_DOMAIN) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** Top-level names kept for local networks, tests and documentation (RFC 6761, RFC 6762 and common use). */
const LOCAL_TOP_LEVELS = new Set(['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home', 'corp', 'private', 'test', 'example', 'invalid']);

/**
 * Whether a (normalized) name looks like a public domain: a valid domain whose top-level label
 * is alphabetic (or an IDN's `xn--` form) and not one kept for local use. Appwrite asks its public
 * suffix list; this shape check refuses the same local and single-label names without one.
 */
export function isPublicDomain(domain: string): boolean {
  if (!isValidDomain(domain)) return false;
  const top = domain.slice(domain.lastIndexOf('.') + 1);
  return /^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(top) && !LOCAL_TOP_LEVELS.has(top);
}

/** Whether `domain` lies under `parent` exactly one label deep (`x.parent`). */
export function isDirectSubdomain(domain: string, parent: string): boolean {
  if (!domain.endsWith(`.${parent}`)) return false;
  return !domain.slice(0, -parent.length - 1).includes('.');
}

/** Whether `domain` is `parent` or lies anywhere under it. */
export function isWithinDomain(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}
