import { findSiteHost } from '../../data/platform/site-hosts.js';
import { findSite, type SiteRow } from '../../data/project/sites.js';
import type { ServiceDeps } from '../deps.js';
import { LookupCache } from './lookup-cache.js';

/** A second at most: a switch of the live deployment or a disabled site shows on every node within it. */
const rows = new LookupCache<SiteRow | undefined>(1000, 10_000);

/** The site as its visitors' requests need it: enabled or not, and its live deployment. */
export function siteForVisitors(deps: ServiceDeps, projectId: string, siteId: string): Promise<SiteRow | undefined> {
  return rows.get(deps, `${projectId}/${siteId}`, () => findSite(deps.db.project(projectId), siteId));
}

/** Which site a host label names; a label is a site's until the site is deleted. */
const hosts = new LookupCache<{ projectId: string; siteId: string } | undefined>(5000, 10_000, (found) => found !== undefined);

export function siteOfHostLabel(deps: ServiceDeps, label: string): Promise<{ projectId: string; siteId: string } | undefined> {
  return hosts.get(deps, label, () => findSiteHost(deps.db.platform, label));
}

/** Called after every change to a site's row on this node, so its visitors see it at once. */
export function forgetSiteForVisitors(deps: ServiceDeps, projectId: string, siteId: string): void {
  rows.forget(deps, `${projectId}/${siteId}`);
}

/** A deleted site's labels may soon be another's. */
export function forgetSiteHostLabels(deps: ServiceDeps): void {
  hosts.forgetAll(deps);
}
