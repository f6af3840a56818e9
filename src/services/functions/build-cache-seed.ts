import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ServiceDeps } from '../deps.js';
import { runBuildCommand } from './build-command.js';
import type { RuntimeDefinition } from './runtimes.js';

/** Fills a new build cache at `dir` from the runtime's seed function in `seedDir`; `root` holds every cache. */
export type SeedBuild = (target: { seedDir: string; root: string; dir: string }) => Promise<SeedOutcome>;
export type SeedOutcome = { ok: true } | { ok: false; reason: string };

/**
 * The seed build of a compiled runtime: its own seed function built in the sandbox with the cache
 * folder writable, then put in place with a rename so the finished cache appears at once.
 */
export function sandboxSeedBuild(deps: ServiceDeps, runtime: RuntimeDefinition, program: string): SeedBuild {
  return async ({ seedDir, root, dir }) => {
    await mkdir(root, { recursive: true });
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
      if (outcome.timedOut) return { ok: false, reason: 'the seed build timed out' };
      if (outcome.aborted) return { ok: false, reason: 'the seed build was stopped' };
      if (outcome.exitCode !== 0) return { ok: false, reason: `the seed build exited with code ${outcome.exitCode}${lastLine(outcome.output)}` };
      // Another process may have made it meanwhile; theirs is as good.
      await rename(filled, dir).catch((error: NodeJS.ErrnoException) => {
        if (!existsSync(dir)) throw error;
      });
      return { ok: true };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
}

/** The seed build's last line of output, which is where a compiler says what stopped it. */
function lastLine(output: string): string {
  const line = output.trimEnd().split('\n').pop()?.trim() ?? '';
  return line === '' ? '' : `: ${line.slice(0, 200)}`;
}
