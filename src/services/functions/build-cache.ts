import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ServiceDeps } from '../deps.js';
import { runBuildCommand } from './build-command.js';
import { runtimesDir } from './runtime-programs.js';
import { runtimeServerFile, type RuntimeDefinition } from './runtimes.js';

/** One seed build per cache at a time, however many builds wait for it. */
const seeding = new Map<string, Promise<string | undefined>>();

/**
 * The folder of compiled dependencies a compiled runtime's builds start from (Rust's crates), made
 * the first time a build needs it. Only the runtime's own seed function fills it, in a build of its
 * own; a deployment's build sees it read-only and copies it, so no project's code can change what
 * another project's build reads. Its name is a hash of the runtime's files and the toolchain's, so a
 * changed toolchain or build script starts a new one. Undefined when the seed build failed: the
 * deployment then builds everything itself.
 */
export async function prepareBuildCache(deps: ServiceDeps, runtime: RuntimeDefinition, program: string, log: (line: string) => void): Promise<string | undefined> {
  if (!runtime.buildCache) return undefined;
  const runtimeDir = dirname(runtimeServerFile(runtime));
  const root = join(runtimesDir(deps), 'build-caches');
  const dir = join(root, `${runtime.key}-${cacheKey(runtime, runtimeDir)}`);
  if (existsSync(dir)) return dir;
  let pending = seeding.get(dir);
  if (!pending) {
    log(`Compiling the dependencies later ${runtime.name} builds share (once per toolchain)…`);
    pending = seed(deps, runtime, program, join(runtimeDir, runtime.buildCache.seed), root, dir).finally(() => seeding.delete(dir));
    seeding.set(dir, pending);
  }
  const ready = await pending;
  if (!ready) log('The shared dependencies could not be compiled; this build compiles its own.');
  return ready;
}

async function seed(deps: ServiceDeps, runtime: RuntimeDefinition, program: string, seedDir: string, root: string, dir: string): Promise<string | undefined> {
  await mkdir(root, { recursive: true });
  // Beside its final place, so the finished cache appears at once with a rename.
  const work = await mkdtemp(join(root, '.seed-'));
  try {
    const code = join(work, 'code');
    const filled = join(work, 'cache');
    await cp(seedDir, code, { recursive: true });
    await mkdir(filled);
    const outcome = await runBuildCommand(deps, {
      program,
      workDir: code,
      insideDir: '/function',
      command: `sh "$PLINTH_RUNTIME_DIR/${basename(runtime.compile!)}"`,
      env: { OPEN_RUNTIMES_ENTRYPOINT: runtime.defaultEntrypoint },
      // Not tied to the build that asked: others may be waiting for the same cache.
      signal: new AbortController().signal,
      runtime,
      cache: { host: filled, writable: true },
    });
    if (outcome.exitCode !== 0 || outcome.timedOut || outcome.aborted) return undefined;
    // Another process may have made it meanwhile; theirs is as good.
    await rename(filled, dir).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(dir)) throw error;
    });
    return dir;
  } catch {
    return undefined;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A hash of the runtime's files (build script, server, crate), its version and the toolchain paths it names, by size and time. */
function cacheKey(runtime: RuntimeDefinition, runtimeDir: string): string {
  const hash = createHash('sha256').update(runtime.version);
  for (const file of filesUnder(runtimeDir)) hash.update(file.slice(runtimeDir.length)).update(readFileSync(file));
  for (const path of runtime.buildCache!.toolchain) {
    try {
      const stat = statSync(path);
      hash.update(`${path} ${stat.size} ${stat.mtimeMs}`);
      if (stat.isDirectory()) hash.update(readdirSync(path).sort().join('\n'));
    } catch {
      hash.update(`${path} missing`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []));
}
