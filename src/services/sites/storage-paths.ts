import { join } from 'node:path';

/** A site's objects in the file store, under its project. Bucket ids never start with a dot. */
export function siteObjectsPrefix(projectId: string, siteId: string): string {
  return `${projectId}/.sites/${siteId}/`;
}

export function siteDeploymentObjects(projectId: string, siteId: string, deploymentId: string) {
  const prefix = `${siteObjectsPrefix(projectId, siteId)}${deploymentId}/`;
  return {
    prefix,
    /** The uploaded archive, as sent. */
    source: `${prefix}source.tar.gz`,
    /** The built output directory packed: what every node unpacks to serve, and what `output` downloads. */
    output: `${prefix}output.tar.gz`,
    /** The chunks of an upload in progress, one object each, named `<start>-<end>`. */
    chunks: `${prefix}chunks/`,
  };
}

/** This node's copies of a site's deployments: `<dataDir>/sites/<project>/<site>/…`. */
export function siteCacheDir(dataDir: string, projectId: string, siteId: string): string {
  return join(dataDir, 'sites', projectId, siteId);
}

export function siteDeploymentCacheDir(dataDir: string, projectId: string, siteId: string, deploymentId: string): string {
  return join(siteCacheDir(dataDir, projectId, siteId), deploymentId);
}

/** The unpacked output of a deployment on this node: present only once complete. */
export function siteOutputDir(dataDir: string, projectId: string, siteId: string, deploymentId: string): string {
  return join(siteDeploymentCacheDir(dataDir, projectId, siteId, deploymentId), 'output');
}
