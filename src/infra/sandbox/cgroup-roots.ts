import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './process-alive.js';

/** The cgroup controllers sandboxed trees are bounded with. */
export type Controller = 'pids' | 'memory' | 'cpu';
export const CONTROLLERS: readonly Controller[] = ['pids', 'memory', 'cpu'];

/** A directory of this server's own in one cgroup hierarchy, where each tree gets a child. */
export interface CgroupRoot {
  version: 1 | 2;
  dir: string;
  /** What it bounds: one controller per v1 hierarchy (or a few co-mounted), several in v2. */
  controllers: Controller[];
}

/** A file each controller's child directory has once the controller works there, and a harmless value to probe it with. */
const PROBES: Record<1 | 2, Record<Controller, [file: string, value: string]>> = {
  1: { pids: ['pids.max', 'max'], memory: ['memory.limit_in_bytes', '-1'], cpu: ['cpu.cfs_quota_us', '-1'] },
  2: { pids: ['pids.max', 'max'], memory: ['memory.max', 'max'], cpu: ['cpu.max', 'max'] },
};

let roots: CgroupRoot[] | undefined;

/**
 * This server's writable cgroup roots, found once: for each controller a v1 hierarchy holding it,
 * else the v2 one. A controller none offers is simply absent (the caller falls back to rlimits).
 * RLIMIT_NPROC cannot stand in for pids when the server runs as root: the kernel ignores it for uid 0,
 * and inside a user namespace the sandboxed user is still root on the host.
 */
export function cgroupRoots(): CgroupRoot[] {
  if (roots) return roots;
  roots = [];
  const hierarchies = serverHierarchies();
  const covered = new Set<Controller>();
  for (const hierarchy of hierarchies.filter((h) => h.version === 1)) {
    const wanted = hierarchy.controllers.filter((c) => !covered.has(c));
    if (wanted.length === 0) continue;
    const root = openRoot(hierarchy.base, 1, wanted);
    if (root) {
      roots.push(root);
      for (const controller of root.controllers) covered.add(controller);
    }
  }
  const unified = hierarchies.find((h) => h.version === 2);
  const missing = CONTROLLERS.filter((c) => !covered.has(c));
  if (unified && missing.length > 0) {
    const root = openRoot(unified.base, 2, missing);
    if (root) roots.push(root);
  }
  return roots;
}

/** The root bounding a controller, if any. */
export function rootFor(controller: Controller): CgroupRoot | undefined {
  return cgroupRoots().find((root) => root.controllers.includes(controller));
}

/** Removes this server's root directories once their trees are gone (on shutdown). */
export function releaseCgroupRoots(): void {
  for (const root of roots ?? []) {
    try {
      rmdirSync(root.dir);
    } catch {
      // Trees still ending; the directory is empty and harmless once they have, and the next server sweeps it.
    }
  }
}

interface Hierarchy {
  version: 1 | 2;
  /** The server's own cgroup directory in it. */
  base: string;
  controllers: Controller[];
}

/** The hierarchies this process sits in, with the directory of its cgroup in each (from mountinfo and /proc/self/cgroup). */
function serverHierarchies(): Hierarchy[] {
  let membership: string;
  let mountinfo: string;
  try {
    membership = readFileSync('/proc/self/cgroup', 'utf8');
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return []; // No /proc: no cgroups either.
  }
  const mounts = mountinfo
    .split('\n')
    .map((line) => {
      const [left, right] = line.split(' - ');
      const fields = left?.split(' ') ?? [];
      const [fsType, , superOptions] = right?.split(' ') ?? [];
      return { root: fields[3] ?? '', point: fields[4] ?? '', fsType, options: (superOptions ?? '').split(',') };
    })
    .filter((mount) => mount.fsType === 'cgroup' || mount.fsType === 'cgroup2');
  const found: Hierarchy[] = [];
  for (const line of membership.split('\n')) {
    const [, names, path] = line.split(':');
    if (path === undefined || names === undefined) continue;
    const version = names === '' ? 2 : 1;
    const listed = names.split(',');
    const mount = mounts.find((m) => (version === 2 ? m.fsType === 'cgroup2' : m.fsType === 'cgroup' && listed.every((name) => m.options.includes(name))));
    if (!mount) continue;
    // Without a cgroup namespace the path is absolute while the mount may show only a subtree.
    const relative = mount.root !== '/' && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
    const controllers = version === 2 ? [...CONTROLLERS] : CONTROLLERS.filter((c) => listed.includes(c));
    if (controllers.length > 0) found.push({ version, base: join(mount.point, relative), controllers });
  }
  return found;
}

/** Makes `plinth-sandbox-<pid>` under the server's cgroup and keeps the controllers that work in a child of it. */
function openRoot(base: string, version: 1 | 2, wanted: Controller[]): CgroupRoot | null {
  const dir = join(base, `plinth-sandbox-${process.pid}`);
  try {
    sweepStale(base);
    if (version === 2) delegate(base, wanted);
    mkdirSync(dir, { recursive: true });
    if (version === 2) delegate(dir, wanted);
    const probe = join(dir, 'probe');
    mkdirSync(probe);
    const working = wanted.filter((controller) => {
      const [file, value] = PROBES[version][controller];
      try {
        writeFileSync(join(probe, file), value);
        return true;
      } catch {
        return false;
      }
    });
    rmdirSync(probe);
    if (working.length > 0) return { version, dir, controllers: working };
    rmdirSync(dir);
  } catch {
    // Not mounted, read-only or not delegated.
  }
  return null;
}

/** v2: children get a controller's files only when their parent enables it (fails harmlessly where it may not). */
function delegate(dir: string, controllers: Controller[]): void {
  const available = readFileSync(join(dir, 'cgroup.controllers'), 'utf8').split(/\s+/);
  for (const controller of controllers) {
    if (!available.includes(controller)) continue;
    try {
      writeFileSync(join(dir, 'cgroup.subtree_control'), `+${controller}`);
    } catch {
      // A cgroup holding processes (other than the top one) may not enable controllers for its children.
    }
  }
}

/**
 * Removes empty cgroups left by servers that are gone (a server killed outright cannot wait for
 * its trees to end). rmdir refuses a cgroup that still holds processes, so nothing alive is touched.
 */
function sweepStale(base: string): void {
  if (!existsSync(base)) return;
  for (const name of readdirSync(base)) {
    const owner = /^plinth-sandbox-(\d+)$/.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid || isProcessAlive(Number(owner))) continue;
    try {
      for (const child of readdirSync(join(base, name), { withFileTypes: true })) if (child.isDirectory()) rmdirSync(join(base, name, child.name));
      rmdirSync(join(base, name));
    } catch {
      // Still in use: left for a later sweep.
    }
  }
}
