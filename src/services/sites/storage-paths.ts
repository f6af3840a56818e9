import { join } from 'node:path';
import { resourceCacheDir, resourceDeploymentCacheDir, resourceDeploymentObjects, resourceObjectsPrefix } from '../functions/index.js';

export function siteObjectsPrefix(projectId: string, siteId: string): string {
  return resourceObjectsPrefix('sites', projectId, siteId);
}

export function siteDeploymentObjects(projectId: string, siteId: string, deploymentId: string) {
  return resourceDeploymentObjects('sites', projectId, siteId, deploymentId);
}

export function siteCacheDir(dataDir: string, projectId: string, siteId: string): string {
  return resourceCacheDir('sites', dataDir, projectId, siteId);
}

export function siteDeploymentCacheDir(dataDir: string, projectId: string, siteId: string, deploymentId: string): string {
  return resourceDeploymentCacheDir('sites', dataDir, projectId, siteId, deploymentId);
}

/** The unpacked output of a deployment on this node: present only once complete. */
export function siteOutputDir(dataDir: string, projectId: string, siteId: string, deploymentId: string): string {
  return join(siteDeploymentCacheDir(dataDir, projectId, siteId, deploymentId), 'output');
}
