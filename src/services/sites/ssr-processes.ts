import type { ServiceDeps } from '../deps.js';
import { functionsHost } from '../functions/index.js';

/** Names a site's share of the runtime pool (beside functions' `<project>/<function>`). */
export function siteOwner(projectId: string, siteId: string): string {
  return `site:${projectId}/${siteId}`;
}

/** Ends the server processes this node runs for a site (it is gone). */
export function stopSsrProcesses(deps: ServiceDeps, projectId: string, siteId: string): void {
  functionsHost(deps).pool.stopOwner(siteOwner(projectId, siteId));
}
