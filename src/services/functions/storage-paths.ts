import { join } from 'node:path';

/**
 * A function's objects in the file store, under its project (deleting a project removes them with
 * its buckets). Bucket ids never start with a dot, so no bucket is named `.functions`.
 */
export function functionObjectsPrefix(projectId: string, functionId: string): string {
  return `${projectId}/.functions/${functionId}/`;
}

export function deploymentObjects(projectId: string, functionId: string, deploymentId: string) {
  const prefix = `${functionObjectsPrefix(projectId, functionId)}${deploymentId}/`;
  return {
    prefix,
    /** The uploaded archive, as sent. */
    source: `${prefix}source.tar.gz`,
    /** The built tree packed again: what every node unpacks to run, and what `output` downloads. */
    output: `${prefix}output.tar.gz`,
    /** The chunks of an upload in progress, one object each, named `<start>-<end>`. */
    chunks: `${prefix}chunks/`,
  };
}

/** This node's unpacked copies of a function's deployments: `<dataDir>/functions/<project>/<function>/…`. */
export function functionCacheDir(dataDir: string, projectId: string, functionId: string): string {
  return join(dataDir, 'functions', projectId, functionId);
}

/** What this node keeps of a deployment: its unpacked code, and builds or unpacks in progress. */
export function deploymentCacheDir(dataDir: string, projectId: string, functionId: string, deploymentId: string): string {
  return join(functionCacheDir(dataDir, projectId, functionId), deploymentId);
}

/** The unpacked built tree of a deployment on this node: present only once complete. */
export function deploymentCodeDir(dataDir: string, projectId: string, functionId: string, deploymentId: string): string {
  return join(deploymentCacheDir(dataDir, projectId, functionId, deploymentId), 'build');
}
