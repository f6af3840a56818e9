import type { ServiceDeps } from '../deps.js';
import { startedFunctionsHost } from '../functions/index.js';

/** Names a site's share of the runtime pool (beside functions' `<project>/<function>`). */
export function siteOwner(projectId: string, siteId: string): string {
  return `site:${projectId}/${siteId}`;
}

/** Ends the server processes this node runs for a site (it is gone). */
export function stopSsrProcesses(deps: ServiceDeps, projectId: string, siteId: string): void {
  startedFunctionsHost(deps)?.pool.stopOwner(siteOwner(projectId, siteId));
}

/**
 * Ends the server processes this node runs for a deployment that is no longer live or is gone,
 * rather than leaving them to idle stop. Its preview host starts one again when visited.
 */
export function stopDeploymentSsrProcesses(deps: ServiceDeps, deploymentId: string): void {
  if (deploymentId !== '') startedFunctionsHost(deps)?.pool.stopGroup(deploymentId);
}

/** Ends the previous live deployment's processes once another deployment took its place. */
export function stopSupersededSsrProcesses(deps: ServiceDeps, previousDeploymentId: string, liveDeploymentId: string): void {
  if (previousDeploymentId !== liveDeploymentId) stopDeploymentSsrProcesses(deps, previousDeploymentId);
}
