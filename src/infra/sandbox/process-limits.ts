import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bounds on what one sandboxed process tree may use. */
export interface ProcessLimits {
  /** Processes and threads at once (a pids cgroup, else RLIMIT_NPROC). */
  maxPids: number;
  /** CPU seconds each process may use (RLIMIT_CPU): a backstop behind the timeouts. */
  cpuSeconds: number;
}

const PRLIMIT = '/usr/bin/prlimit';
const SH = '/bin/sh';
/** Joins the cgroup named by its first argument, then becomes the rest: nothing forks before the limit holds. */
const JOIN_CGROUP = 'echo $$ > "$1/cgroup.procs" || exit 126; shift; exec "$@"';

let cgroupRoot: string | null | undefined;
let nextCgroup = 0;

/**
 * A pids cgroup directory of this server's own, where each sandboxed tree gets a child with
 * its own `pids.max`; null when the host offers none that this process may write.
 * RLIMIT_NPROC cannot stand in for it when the server runs as root: the kernel ignores it for uid 0,
 * and inside a user namespace the sandboxed user is still root on the host.
 */
function pidsCgroupRoot(): string | null {
  if (cgroupRoot !== undefined) return cgroupRoot;
  cgroupRoot = null;
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, path] = line.split(':');
      if (path === undefined) continue;
      const candidates =
        controllers === 'pids' ? [join('/sys/fs/cgroup/pids', path)] : controllers === '' ? [join('/sys/fs/cgroup', path), join('/sys/fs/cgroup/unified', path)] : [];
      for (const base of candidates) {
        const root = join(base, `plinth-sandbox-${process.pid}`);
        try {
          sweepStale(base);
          mkdirSync(root, { recursive: true });
          const probe = join(root, 'probe');
          mkdirSync(probe);
          const works = existsSync(join(probe, 'pids.max'));
          rmdirSync(probe);
          if (works) return (cgroupRoot = root);
          rmdirSync(root);
        } catch {
          // Not mounted, read-only or not delegated: try the next one.
        }
      }
    }
  } catch {
    // No /proc: no cgroups either.
  }
  return cgroupRoot;
}

/**
 * Removes empty cgroups left by servers that are gone (a server killed outright cannot wait for
 * its trees to end). rmdir refuses a cgroup that still holds processes, so nothing alive is touched.
 */
function sweepStale(base: string): void {
  for (const name of readdirSync(base)) {
    const owner = /^plinth-sandbox-(\d+)$/.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid || isAlive(Number(owner))) continue;
    try {
      for (const child of readdirSync(join(base, name), { withFileTypes: true })) if (child.isDirectory()) rmdirSync(join(base, name, child.name));
      rmdirSync(join(base, name));
    } catch {
      // Still in use: left for a later sweep.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills whatever is still in a tree's cgroup (processes that left the process group), then removes it. */
function releaseCgroup(dir: string, attempt = 0): void {
  try {
    for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    // Killed processes leave the cgroup a moment later.
    if (attempt < 50) setTimeout(() => releaseCgroup(dir, attempt + 1), 100).unref();
  }
}

/**
 * Spawns a program with its process tree bounded: in a fresh pids cgroup when the host allows
 * it, else under RLIMIT_NPROC (which holds for an unprivileged server only); RLIMIT_CPU always.
 */
export function spawnLimited(program: string, args: string[], options: SpawnOptions, limits: ProcessLimits | undefined): ChildProcess {
  if (!limits) return spawn(program, args, options);
  const rlimits = existsSync(PRLIMIT) ? [PRLIMIT, `--cpu=${limits.cpuSeconds}`] : [];
  const root = pidsCgroupRoot();
  if (root === null) {
    if (rlimits.length > 0) rlimits.push(`--nproc=${limits.maxPids}`);
    const command = [...rlimits, ...(rlimits.length > 0 ? ['--'] : []), program, ...args];
    return spawn(command[0]!, command.slice(1), options);
  }
  const dir = join(root, String(nextCgroup++));
  mkdirSync(dir);
  writeFileSync(join(dir, 'pids.max'), String(limits.maxPids));
  const command = [...rlimits, ...(rlimits.length > 0 ? ['--'] : []), program, ...args];
  const child = spawn(SH, ['-c', JOIN_CGROUP, 'plinth-limit', dir, ...command], options);
  // On exit, not close: descendants still holding the stdio pipes would keep close from ever firing.
  child.once('exit', () => releaseCgroup(dir));
  child.once('error', () => releaseCgroup(dir));
  return child;
}

/** Removes this server's cgroup directory once its trees are gone (on shutdown). */
export function releaseLimits(): void {
  if (!cgroupRoot) return;
  try {
    rmdirSync(cgroupRoot);
  } catch {
    // Trees still ending; the directory is empty and harmless once they have.
  }
}
