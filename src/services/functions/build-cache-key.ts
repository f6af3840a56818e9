import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What a cache key is made of: the runtime's version and folder, and the host paths whose change makes its cache stale. */
export interface CacheKeySource {
  key: string;
  version: string;
  runtimeDir: string;
  toolchain: readonly string[];
}

/**
 * Names a runtime's build cache: a hash of the runtime's files (build script, server, seed crate)
 * and its version, read once per process since they change only with Plinth itself, together with
 * the toolchain's paths by size and time, looked at on every build since the host may upgrade them
 * while Plinth runs.
 */
export class BuildCacheKeys {
  private readonly runtimeHashes = new Map<string, Promise<string>>();

  async keyOf(source: CacheKeySource): Promise<string> {
    const memo = `${source.key}\n${source.version}\n${source.runtimeDir}`;
    let runtimeHash = this.runtimeHashes.get(memo);
    if (!runtimeHash) {
      runtimeHash = hashRuntimeFiles(source.version, source.runtimeDir);
      this.runtimeHashes.set(memo, runtimeHash);
      // A failed read is tried again by the next build rather than remembered.
      runtimeHash.catch(() => this.runtimeHashes.delete(memo));
    }
    const hash = createHash('sha256').update(await runtimeHash);
    for (const path of source.toolchain) hash.update(await toolchainStamp(path));
    return hash.digest('hex').slice(0, 16);
  }
}

async function hashRuntimeFiles(version: string, runtimeDir: string): Promise<string> {
  const hash = createHash('sha256').update(version);
  for (const file of await filesUnder(runtimeDir)) hash.update(file.slice(runtimeDir.length)).update(await readFile(file));
  return hash.digest('hex');
}

async function toolchainStamp(path: string): Promise<string> {
  try {
    const found = await stat(path);
    const listing = found.isDirectory() ? (await readdir(path)).sort().join('\n') : '';
    return `${path} ${found.size} ${found.mtimeMs}\n${listing}`;
  } catch {
    return `${path} missing`;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) files.push(...(await filesUnder(join(dir, entry.name))));
    else if (entry.isFile()) files.push(join(dir, entry.name));
  }
  return files;
}
