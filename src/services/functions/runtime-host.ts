import { pickSandbox } from '../../infra/sandbox/pick-sandbox.js';
import type { ProcessLimits } from '../../infra/sandbox/process-limits.js';
import { createRuntimePool, type RuntimePool } from '../../infra/sandbox/runtime-pool.js';
import type { Sandbox } from '../../infra/sandbox/sandbox.js';
import type { ServiceDeps } from '../deps.js';
import { DEFAULT_FUNCTIONS_SETTINGS, type FunctionsSettings } from './settings.js';

/** This process's share of function running: the sandbox, its warm runtimes and running builds. */
export interface FunctionsHost {
  settings: FunctionsSettings;
  sandbox: Sandbox;
  pool: RuntimePool;
  /** Builds running here, by deployment id, so a cancel or a deleted function can stop them. */
  builds: Map<string, RunningBuild>;
}

export interface RunningBuild {
  /** The function it builds for (see `functionOwner`). */
  owner: string;
  controller: AbortController;
}

/** Names a function's share of the pool and of the running builds. */
export function functionOwner(projectId: string, functionId: string): string {
  return `${projectId}/${functionId}`;
}

/** Ends what this node runs for a function: its builds and its warm processes (the function is gone). */
export function stopFunctionWork(deps: ServiceDeps, projectId: string, functionId: string): void {
  const host = hosts.get(deps);
  if (!host) return;
  const owner = functionOwner(projectId, functionId);
  for (const build of host.builds.values()) if (build.owner === owner) build.controller.abort();
  host.pool.stopOwner(owner);
}

const hosts = new WeakMap<ServiceDeps, FunctionsHost>();

/** The host if this node has made it: stopping processes needs no sandbox probe where none ran. */
export function startedFunctionsHost(deps: ServiceDeps): FunctionsHost | undefined {
  return hosts.get(deps);
}

/** Made on first use: a server that never runs a function never probes for a sandbox. */
export function functionsHost(deps: ServiceDeps): FunctionsHost {
  let host = hosts.get(deps);
  if (host) return host;
  const settings = deps.functions ?? DEFAULT_FUNCTIONS_SETTINGS;
  const sandbox = pickSandbox(settings.sandbox, settings.network, (message) => process.emitWarning(message, 'PlinthFunctionsSandbox'));
  const pool = createRuntimePool({
    sandbox,
    idleMs: settings.idleSeconds * 1000,
    concurrency: settings.concurrency,
    maxProcesses: settings.maxProcesses,
    limits: { maxPids: settings.maxPids, cpuSeconds: cpuBackstopSeconds(settings), memoryMb: settings.memoryMb, cpus: settings.cpus },
    memoryBudgetMb: settings.memoryBudgetMb,
  });
  // Runtime processes die with the server; bubblewrap also ties them to their parent.
  process.once('exit', () => pool.close());
  host = { settings, sandbox, pool, builds: new Map() };
  hosts.set(deps, host);
  return host;
}

/**
 * CPU seconds a sandboxed process may use in its life (RLIMIT_CPU). Timeouts stop a busy
 * execution first; this ends one whose watcher failed. Warm processes are long-lived, so it is generous.
 */
export function cpuBackstopSeconds(settings: FunctionsSettings): number {
  return Math.max(3600, settings.maxTimeoutSeconds * 4);
}

/** The smallest memory limit a build gets, in MB: package managers and compilers need more than a small function. */
const BUILD_MEMORY_FLOOR_MB = 1024;

/**
 * Bounds on a build's process tree. Its memory limit is at least `BUILD_MEMORY_FLOOR_MB`, plus its
 * memory-backed /tmp (package manager caches live there and count as the tree's memory); a build
 * ends on its own, so the larger share is not held for long.
 */
export function buildLimits(settings: FunctionsSettings, tmpSizeMb: number): ProcessLimits {
  return {
    maxPids: settings.maxPids,
    cpuSeconds: cpuBackstopSeconds(settings),
    memoryMb: settings.memoryMb > 0 ? Math.max(settings.memoryMb, BUILD_MEMORY_FLOOR_MB) + tmpSizeMb : 0,
    cpus: settings.cpus,
  };
}

/** Stops this process's warm runtimes (on shutdown). */
export function closeFunctionsHost(deps: ServiceDeps): void {
  hosts.get(deps)?.pool.close();
  hosts.delete(deps);
}
