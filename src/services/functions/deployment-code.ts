import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { onFirstUse } from '../../core/load-package.js';
import type { FileStore } from '../../infra/files/file-store.js';
import type { ServiceDeps } from '../deps.js';
import { deploymentCacheDir, deploymentCodeDir, deploymentObjects } from './storage-paths.js';

const loadTar = onFirstUse<typeof import('tar')>('tar');

/** Unpacks in flight on this process, so concurrent first executions fetch once. */
const unpacking = new Map<string, Promise<string>>();

/**
 * The deployment's built tree on this node, fetched from the file store and unpacked on first use.
 * Every node of a cluster runs what the building node stored; the copy appears whole (a rename) or not at all.
 */
export async function ensureDeploymentCode(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string): Promise<string> {
  const codeDir = deploymentCodeDir(deps.dataDir, projectId, functionId, deploymentId);
  return ensureUnpacked(deps.files, deploymentObjects(projectId, functionId, deploymentId).output, codeDir, () => stagingDir(deps, projectId, functionId, deploymentId, 'unpack'));
}

/** A stored .tar.gz unpacked at `codeDir` on this node, once: concurrent callers wait for the same unpack. */
export async function ensureUnpacked(files: FileStore, outputKey: string, codeDir: string, staging: () => string): Promise<string> {
  if (existsSync(codeDir)) return codeDir;
  let pending = unpacking.get(codeDir);
  if (!pending) {
    pending = unpackOutput(files, outputKey, staging(), codeDir).finally(() => unpacking.delete(codeDir));
    unpacking.set(codeDir, pending);
  }
  return pending;
}

async function unpackOutput(files: FileStore, outputKey: string, staging: string, codeDir: string): Promise<string> {
  await mkdir(staging, { recursive: true });
  try {
    await pipeline(await files.read(outputKey), loadTar().x({ cwd: staging, strict: true }));
    await moveIntoPlace(staging, codeDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return codeDir;
}

/** Renames a finished tree to its final place; another process that got there first wins, and its copy is the same. */
export async function moveIntoPlace(staging: string, finalDir: string): Promise<void> {
  await mkdir(dirname(finalDir), { recursive: true });
  try {
    await rename(staging, finalDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
}

/** A private folder beside the deployment's code for work in progress (a build, an unpack). */
export function stagingDir(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string, purpose: string): string {
  return join(deploymentCacheDir(deps.dataDir, projectId, functionId, deploymentId), `${purpose}-${randomBytes(6).toString('hex')}`);
}
