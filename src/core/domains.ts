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

/** Whether `domain` lies under `parent` exactly one label deep (`x.parent`). */
export function isDirectSubdomain(domain: string, parent: string): boolean {
  if (!domain.endsWith(`.${parent}`)) return false;
  return !domain.slice(0, -parent.length - 1).includes('.');
}

/** Whether `domain` is `parent` or lies anywhere under it. */
export function isWithinDomain(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}
