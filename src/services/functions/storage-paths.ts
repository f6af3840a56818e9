import { join } from 'node:path';

/** The resources that own deployments, named as their API collection and their folders. */
export type DeployableCollection = 'functions' | 'sites';

/**
 * A function's or site's objects in the file store, under its project (deleting a project removes
 * them with its buckets). Bucket ids never start with a dot, so no bucket is named `.functions`.
 */
export function resourceObjectsPrefix(collection: DeployableCollection, projectId: string, resourceId: string): string {
  return `${projectId}/.${collection}/${resourceId}/`;
}

export function resourceDeploymentObjects(collection: DeployableCollection, projectId: string, resourceId: string, deploymentId: string) {
  const prefix = `${resourceObjectsPrefix(collection, projectId, resourceId)}${deploymentId}/`;
  return {
    prefix,
    /** The uploaded archive, as sent. */
    source: `${prefix}source.tar.gz`,
    /** The built tree packed again: what every node unpacks to run or serve, and what `output` downloads. */
    output: `${prefix}output.tar.gz`,
    /** The chunks of an upload in progress, one object each, named `<start>-<end>`. */
    chunks: `${prefix}chunks/`,
  };
}

/** This node's copies of a resource's deployments: `<dataDir>/<collection>/<project>/<resource>/…`. */
export function resourceCacheDir(collection: DeployableCollection, dataDir: string, projectId: string, resourceId: string): string {
  return join(dataDir, collection, projectId, resourceId);
}

/** What this node keeps of a deployment: its unpacked code, and builds or unpacks in progress. */
export function resourceDeploymentCacheDir(collection: DeployableCollection, dataDir: string, projectId: string, resourceId: string, deploymentId: string): string {
  return join(resourceCacheDir(collection, dataDir, projectId, resourceId), deploymentId);
}

export function functionObjectsPrefix(projectId: string, functionId: string): string {
  return resourceObjectsPrefix('functions', projectId, functionId);
}

export function deploymentObjects(projectId: string, functionId: string, deploymentId: string) {
  return resourceDeploymentObjects('functions', projectId, functionId, deploymentId);
}

export function functionCacheDir(dataDir: string, projectId: string, functionId: string): string {
  return resourceCacheDir('functions', dataDir, projectId, functionId);
}

export function deploymentCacheDir(dataDir: string, projectId: string, functionId: string, deploymentId: string): string {
  return resourceDeploymentCacheDir('functions', dataDir, projectId, functionId, deploymentId);
}

/** The unpacked built tree of a deployment on this node: present only once complete. */
export function deploymentCodeDir(dataDir: string, projectId: string, functionId: string, deploymentId: string): string {
  return join(deploymentCacheDir(dataDir, projectId, functionId, deploymentId), 'build');
}
