import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServiceDeps } from '../deps.js';
import { BuildCacheKeys } from './build-cache-key.js';
import { sandboxSeedBuild, type SeedBuild, type SeedOutcome } from './build-cache-seed.js';
import { runtimesDir } from './runtime-programs.js';
import { runtimeServerFile, type RuntimeDefinition } from './runtimes.js';
import { SeedBackoff } from './seed-backoff.js';

/** The parts of a runtime a build cache depends on. */
export type CachedRuntime = Pick<RuntimeDefinition, 'key' | 'name' | 'version' | 'buildCache'>;

/**
 * The folders of compiled dependencies compiled runtimes' builds start from (Rust's crates), made
 * the first time a build needs one. Only the runtime's own seed function fills one, in a build of its
 * own; a deployment's build sees it read-only and copies it, so no project's code can change what
 * another project's build reads. Its name is a hash of the runtime's files and the toolchain's, so a
 * changed toolchain or build script starts a new one. A failed seed build leaves the deployment to
 * build everything itself, and later builds skip the seed for a while (see SeedBackoff).
 */
export class BuildCaches {
  /** One seed build per cache at a time, however many builds wait for it. */
  private readonly seeding = new Map<string, Promise<SeedOutcome>>();
  private readonly keys = new BuildCacheKeys();

  constructor(private readonly backoff = new SeedBackoff()) {}

  async prepare(input: { root: string; runtime: CachedRuntime; runtimeDir: string; seed: SeedBuild; log: (line: string) => void }): Promise<string | undefined> {
    const { runtime, log } = input;
    const settings = runtime.buildCache;
    if (!settings) return undefined;
    const cacheKey = await this.keys.keyOf({ key: runtime.key, version: runtime.version, runtimeDir: input.runtimeDir, toolchain: settings.toolchain });
    const dir = join(input.root, `${runtime.key}-${cacheKey}`);
    if (existsSync(dir)) return dir;
    const what = settings.name ?? `${runtime.name} dependency cache`;
    let pending = this.seeding.get(dir);
    if (!pending) {
      const held = this.backoff.blocking(runtime.key, cacheKey);
      if (held) {
        log(
          `The ${what} is skipped: compiling it failed ${times(held.failures)}, last because ${held.reason}; ` +
            `it is tried again after ${new Date(held.retryAt).toISOString()}. This build compiles its own.`,
        );
        return undefined;
      }
      log(`Compiling the ${what} (once per toolchain)…`);
      pending = this.seedOnce(input.seed, { seedDir: join(input.runtimeDir, settings.seed), root: input.root, dir }, runtime.key, cacheKey);
      this.seeding.set(dir, pending);
    }
    const outcome = await pending;
    if (outcome.ok) return dir;
    log(`The ${what} could not be compiled (${outcome.reason}); this build compiles its own.`);
    return undefined;
  }

  private async seedOnce(seed: SeedBuild, target: Parameters<SeedBuild>[0], runtimeKey: string, cacheKey: string): Promise<SeedOutcome> {
    try {
      // Started on the next turn, so even a seed that throws at once leaves `seeding` as it found it.
      const outcome = await Promise.resolve()
        .then(() => seed(target))
        .catch((error: unknown): SeedOutcome => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }));
      if (outcome.ok) this.backoff.succeeded(runtimeKey);
      else this.backoff.failed(runtimeKey, cacheKey, outcome.reason);
      return outcome;
    } finally {
      this.seeding.delete(target.dir);
    }
  }
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

const caches = new BuildCaches();

/** The build cache a compiled runtime's build starts from, made by this process's seed build when missing; undefined without one. */
export async function prepareBuildCache(deps: ServiceDeps, runtime: RuntimeDefinition, program: string, log: (line: string) => void): Promise<string | undefined> {
  if (!runtime.buildCache) return undefined;
  return caches.prepare({
    root: join(runtimesDir(deps), 'build-caches'),
    runtime,
    runtimeDir: dirname(runtimeServerFile(runtime)),
    seed: sandboxSeedBuild(deps, runtime, program),
    log,
  });
}
