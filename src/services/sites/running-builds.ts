import type { ServiceDeps } from '../deps.js';

/** Site builds running on this node, by deployment id, so a cancel or a deleted site can stop them. */
const running = new WeakMap<ServiceDeps, Map<string, { siteKey: string; controller: AbortController }>>();

function registry(deps: ServiceDeps) {
  let builds = running.get(deps);
  if (!builds) running.set(deps, (builds = new Map()));
  return builds;
}

export function trackSiteBuild(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): AbortController {
  const controller = new AbortController();
  registry(deps).set(deploymentId, { siteKey: `${projectId}/${siteId}`, controller });
  return controller;
}

export function untrackSiteBuild(deps: ServiceDeps, deploymentId: string): void {
  registry(deps).delete(deploymentId);
}

export function abortSiteBuild(deps: ServiceDeps, deploymentId: string): void {
  registry(deps).get(deploymentId)?.controller.abort();
}

export function abortSiteBuilds(deps: ServiceDeps, projectId: string, siteId: string): void {
  for (const build of registry(deps).values()) if (build.siteKey === `${projectId}/${siteId}`) build.controller.abort();
}
