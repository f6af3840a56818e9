import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupRoots, type CgroupRoot } from './cgroup-roots.js';

/** What one tree's cgroups bound; a missing or zero field sets no bound. */
export interface TreeBounds {
  maxPids?: number | undefined;
  memoryMb?: number | undefined;
  cpus?: number | undefined;
}

/** One sandboxed tree's directories, one per cgroup root. */
export interface TreeCgroup {
  /** The directories the tree's first process joins before it becomes the sandboxed program. */
  readonly dirs: string[];
  /** Memory the tree uses now, page cache it could drop left out; null without a memory cgroup. */
  memoryBytes(): number | null;
  /** Times the kernel killed one of its processes for going over the memory limit. */
  oomKills(): number;
  /** Kills what is left in it and removes its directories (retrying while killed processes leave). */
  release(): void;
}

const CPU_PERIOD_US = 100_000;
let nextTree = 0;

/** A fresh cgroup in every root, bounded; null when no root works here. */
export function createTreeCgroup(bounds: TreeBounds): TreeCgroup | null {
  const roots = cgroupRoots();
  if (roots.length === 0) return null;
  const name = String(nextTree++);
  const made: string[] = [];
  try {
    for (const root of roots) {
      const dir = join(root.dir, name);
      mkdirSync(dir);
      made.push(dir);
      applyBounds(root, dir, bounds);
    }
  } catch (error) {
    for (const dir of made) removeCgroup(dir);
    throw error;
  }
  const memory = roots.find((root) => root.controllers.includes('memory'));
  const memoryDir = memory && join(memory.dir, name);
  let released = false;
  let finalOomKills = 0;
  const readOomKills = () => (memory && memoryDir ? counter(join(memoryDir, memory.version === 1 ? 'memory.oom_control' : 'memory.events'), 'oom_kill') : 0);
  return {
    dirs: made,
    memoryBytes() {
      if (!memory || !memoryDir || released) return memory ? 0 : null;
      return workingSet(memory, memoryDir);
    },
    oomKills: () => (released ? finalOomKills : readOomKills()),
    release() {
      if (released) return;
      // The count goes with the directory: keep it for whoever asks why the tree ended.
      finalOomKills = readOomKills();
      released = true;
      for (const dir of made) removeCgroup(dir);
    },
  };
}

function applyBounds(root: CgroupRoot, dir: string, bounds: TreeBounds): void {
  const v1 = root.version === 1;
  if (root.controllers.includes('pids') && bounds.maxPids) writeFileSync(join(dir, 'pids.max'), String(bounds.maxPids));
  if (root.controllers.includes('memory') && bounds.memoryMb) {
    const bytes = String(bounds.memoryMb * 1024 * 1024);
    writeFileSync(join(dir, v1 ? 'memory.limit_in_bytes' : 'memory.max'), bytes);
    // Without a bound on swap too, a tree would page out past its limit instead of being stopped.
    const swap = join(dir, v1 ? 'memory.memsw.limit_in_bytes' : 'memory.swap.max');
    if (existsSync(swap)) writeFileSync(swap, v1 ? bytes : '0');
    // v2 can end the whole tree at once rather than its largest process only.
    if (!v1 && existsSync(join(dir, 'memory.oom.group'))) writeFileSync(join(dir, 'memory.oom.group'), '1');
  }
  if (root.controllers.includes('cpu') && bounds.cpus) {
    const quota = String(Math.max(1000, Math.round(bounds.cpus * CPU_PERIOD_US)));
    if (v1) {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), quota);
    } else {
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
    }
  }
}

/** Usage less inactive file cache (what the kernel would reclaim before stopping anything), as container tools report it. */
function workingSet(root: CgroupRoot, dir: string): number {
  try {
    const usage = Number(readFileSync(join(dir, root.version === 1 ? 'memory.usage_in_bytes' : 'memory.current'), 'utf8').trim());
    const inactive = counter(join(dir, 'memory.stat'), root.version === 1 ? 'total_inactive_file' : 'inactive_file');
    return Math.max(0, usage - inactive);
  } catch {
    return 0;
  }
}

/** A `name value` line of a cgroup stat file; 0 when absent. */
function counter(file: string, name: string): number {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name} `));
    return line ? Number(line.slice(name.length + 1)) : 0;
  } catch {
    return 0;
  }
}

/** Kills whatever is still in a cgroup (processes that left the process group), then removes it. */
function removeCgroup(dir: string, attempt = 0): void {
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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    // Killed processes leave the cgroup a moment later.
    if (attempt < 50) setTimeout(() => removeCgroup(dir, attempt + 1), 100).unref();
  }
}
