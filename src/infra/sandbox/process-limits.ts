import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { releaseCgroupRoots, rootFor } from './cgroup-roots.js';
import { createTreeCgroup, type TreeCgroup } from './tree-cgroup.js';

/** Bounds on what one sandboxed process tree may use; a missing or zero field sets no bound. */
export interface ProcessLimits {
  /** Processes and threads at once (a pids cgroup, else RLIMIT_NPROC). */
  maxPids?: number | undefined;
  /** CPU seconds each process may use (RLIMIT_CPU): a backstop behind the timeouts. */
  cpuSeconds?: number | undefined;
  /** Memory of the whole tree in MB, swap included (a memory cgroup, else RLIMIT_DATA per process). */
  memoryMb?: number | undefined;
  /** CPU cores the whole tree may keep busy, e.g. 0.5 (a CPU quota; none without a cpu cgroup). */
  cpus?: number | undefined;
}

const PRLIMIT = '/usr/bin/prlimit';
const SH = '/bin/sh';
/** Joins each cgroup named before `--`, then becomes the rest: nothing forks before every limit holds. */
const JOIN_CGROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs" || exit 126; shift; done; shift; exec "$@"';

const trees = new WeakMap<ChildProcess, TreeCgroup>();
const warned = new Set<string>();

/** The cgroups of a tree started by `spawnLimited` (its memory use, its OOM kills), when it has them. */
export function limitedTree(child: ChildProcess): TreeCgroup | undefined {
  return trees.get(child);
}

/**
 * Spawns a program with its process tree bounded: in fresh cgroups (pids, memory, cpu) where the
 * host lets this server write them, else under rlimits (RLIMIT_NPROC, which holds for an unprivileged
 * server only, and RLIMIT_DATA); RLIMIT_CPU always.
 */
export function spawnLimited(program: string, args: string[], options: SpawnOptions, limits: ProcessLimits | undefined): ChildProcess {
  if (!limits) return spawn(program, args, options);
  const tree = createTreeCgroup(limits);
  const rlimits: string[] = [];
  if (limits.cpuSeconds) rlimits.push(`--cpu=${limits.cpuSeconds}`);
  if (limits.maxPids && !rootFor('pids')) rlimits.push(`--nproc=${limits.maxPids}`);
  if (limits.memoryMb && !rootFor('memory')) {
    warnOnce('memory', 'no writable memory cgroup: function memory is bounded per process by RLIMIT_DATA only (a process tree can exceed it together), and the warm pool memory budget counts resident memory');
    // RLIMIT_DATA bounds private writable mappings: a memory hog gets allocation failures instead of starving the host.
    rlimits.push(`--data=${limits.memoryMb * 1024 * 1024}`, '--core=0');
  }
  if (limits.cpus && !rootFor('cpu')) warnOnce('cpu', 'no writable cpu cgroup: functions run without a CPU quota (PLINTH_FUNCTIONS_CPUS has no effect)');
  const command = rlimits.length > 0 && existsSync(PRLIMIT) ? [PRLIMIT, ...rlimits, '--', program, ...args] : [program, ...args];
  if (!tree) return spawn(command[0]!, command.slice(1), options);
  let child: ChildProcess;
  try {
    child = spawn(SH, ['-c', JOIN_CGROUPS, 'plinth-limit', ...tree.dirs, '--', ...command], options);
  } catch (error) {
    tree.release();
    throw error;
  }
  trees.set(child, tree);
  // On exit, not close: descendants still holding the stdio pipes would keep close from ever firing.
  child.once('exit', () => tree.release());
  child.once('error', () => tree.release());
  return child;
}

function warnOnce(topic: string, message: string): void {
  if (warned.has(topic)) return;
  warned.add(topic);
  process.emitWarning(message, 'PlinthFunctionsSandbox');
}

/** Removes this server's cgroup directories once its trees are gone (on shutdown). */
export function releaseLimits(): void {
  releaseCgroupRoots();
}
