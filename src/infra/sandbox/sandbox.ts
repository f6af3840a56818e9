import type { ChildProcess } from 'node:child_process';
import type { ProcessLimits } from './process-limits.js';

export type SandboxNetwork = 'none' | 'isolated' | 'host';

/** A host directory made visible to the sandboxed process. */
export interface SandboxMount {
  host: string;
  /** Where the process sees it when the sandbox has its own file system view. */
  inside: string;
  writable: boolean;
}

export interface SandboxSpec {
  /** Program and arguments, with paths as the process sees them (see `Sandbox.pathOf`). */
  command: string[];
  mounts: SandboxMount[];
  /** Working directory as the process sees it. */
  cwd: string;
  /** The whole environment: nothing of the server's own leaks in. */
  env: Record<string, string>;
  /**
   * `none`: a loopback of its own only. `isolated`: the outside network through a user-mode stack,
   * never the host's loopback, except the host loopback ports in `hostPorts`. `host`: the host's network.
   */
  network: SandboxNetwork;
  /** Host loopback TCP ports an `isolated` sandbox reaches at the same port on its own loopback (the API). */
  hostPorts?: number[] | undefined;
  /** Size of the private, memory-backed /tmp in MB (where the sandbox gives one). */
  tmpSizeMb: number;
  /** Process count and CPU bounds of the whole tree; none when absent. */
  limits?: ProcessLimits | undefined;
}

/** Runs untrusted code: function runtimes and build commands. */
export interface Sandbox {
  readonly kind: 'bwrap' | 'process';
  /** How the process sees a mounted directory. */
  pathOf(mount: SandboxMount): string;
  /**
   * Starts the process in its own process group; killing the group ends everything it started.
   * Its stdin is a pipe from this server: runtimes exit when it closes, so none outlives a crashed server.
   */
  spawn(spec: SandboxSpec): ChildProcess;
}

/** Ends a sandboxed process and everything it started. */
export function killSandboxed(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
