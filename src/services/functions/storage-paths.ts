import { join } from 'node:path';

/** Where a function's files live: `<dataDir>/functions/<project>/<function>/<deployment>/…`. */
export function functionDir(dataDir: string, projectId: string, functionId: string): string {
  return join(dataDir, 'functions', projectId, functionId);
}

export function deploymentPaths(dataDir: string, projectId: string, functionId: string, deploymentId: string) {
  const root = join(functionDir(dataDir, projectId, functionId), deploymentId);
  return {
    root,
    /** The uploaded archive, as sent. */
    source: join(root, 'source.tar.gz'),
    /** The archive extracted and built: what runtimes run. */
    build: join(root, 'build'),
    /** The built tree packed again, for download. */
    output: join(root, 'output.tar.gz'),
  };
}
