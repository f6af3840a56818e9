import { dirname, join } from 'node:path';
import type { RunOutcome } from '../../infra/sandbox/run-to-end.js';
import { runToEnd } from '../../infra/sandbox/run-to-end.js';
import { programMount } from '../../infra/sandbox/runtime-pool.js';
import type { ServiceDeps } from '../deps.js';
import { hostBuildTools } from './build-tools.js';
import { buildLimits, functionsHost } from './runtime-host.js';
import { fetchedDir } from './runtime-programs.js';
import { runtimeServerFile, type RuntimeDefinition } from './runtimes.js';

/** Where a build sees its fetched runtime's packages. */
const RUNTIME_PACKAGES_INSIDE = '/opt/runtime-packages';
/** Where a compiling build sees its runtime's files (runtimes/<language>/). */
const RUNTIME_FILES_INSIDE = '/opt/runtime-files';
/** Where a compiling build sees the dependencies its runtime's builds share (build-cache.ts). */
const BUILD_CACHE_INSIDE = '/opt/build-cache';

/** Build logs keep their end: that is where a failure is. */
export const MAX_BUILD_LOG = 1_000_000;

/**
 * Runs a build's shell command in the sandbox, in `workDir` (shown writable at `insideDir`), with
 * the runtime's interpreter first on PATH so `node` in a build is the runtime's Node, and the host's
 * package managers beside it. A fetched runtime's own packages (the npm an old Node.js runs with) come before the host's tools. Functions and sites build this one way.
 */
export async function runBuildCommand(
  deps: ServiceDeps,
  input: {
    program: string;
    workDir: string;
    insideDir: string;
    command: string;
    env: Record<string, string>;
    signal: AbortSignal;
    runtime: RuntimeDefinition;
    /** Shared compiled dependencies: read-only for a deployment's build, writable only for the runtime's own seed build. */
    cache?: { host: string; writable: boolean } | undefined;
  },
): Promise<RunOutcome> {
  const host = functionsHost(deps);
  const sandbox = host.sandbox;
  const code = { host: input.workDir, inside: input.insideDir, writable: true };
  const interpreter = programMount(input.program);
  const binDir = dirname(interpreter.path(sandbox));
  const tools = hostBuildTools();
  const packagesDir = fetchedDir(deps, input.runtime);
  const packages = packagesDir ? [{ host: join(packagesDir, 'node_modules'), inside: RUNTIME_PACKAGES_INSIDE, writable: false }] : [];
  // A compiled language's build script and the server it compiles with the function.
  const runtimeFiles = input.runtime.compile ? [{ host: dirname(runtimeServerFile(input.runtime)), inside: RUNTIME_FILES_INSIDE, writable: false }] : [];
  const cache = input.cache ? [{ host: input.cache.host, inside: BUILD_CACHE_INSIDE, writable: input.cache.writable }] : [];
  const cacheEnv = cache[0] ? { PLINTH_BUILD_CACHE: sandbox.pathOf(cache[0]), ...(cache[0].writable ? { PLINTH_BUILD_CACHE_FILL: '1' } : {}) } : {};
  // Package managers keep their caches under HOME (/tmp here).
  const tmpSizeMb = Math.max(512, host.settings.tmpSizeMb);
  return runToEnd(
    sandbox,
    {
      command: ['/bin/sh', '-c', input.command],
      mounts: [code, ...interpreter.mounts, ...packages, ...runtimeFiles, ...cache, ...tools.mounts],
      cwd: sandbox.pathOf(code),
      env: { PATH: [binDir, ...packages.map((mount) => `${sandbox.pathOf(mount)}/.bin`), ...tools.binDirs, '/usr/local/bin', '/usr/bin', '/bin'].join(':'), HOME: '/tmp', ...(runtimeFiles[0] ? { PLINTH_RUNTIME_DIR: sandbox.pathOf(runtimeFiles[0]) } : {}), ...cacheEnv, ...input.runtime.env, ...input.env },
      network: host.settings.network,
      tmpSizeMb,
      limits: buildLimits(host.settings, tmpSizeMb),
    },
    { timeoutMs: host.settings.maxTimeoutSeconds * 1000, maxOutput: MAX_BUILD_LOG, signal: input.signal },
  );
}
