import { readdirSync, readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { limitedTree } from './process-limits.js';

/**
 * Memory each sandboxed tree uses now, in bytes: its memory cgroup's count where it has one, else
 * the resident memory of the root process and its descendants (pages shared between them counted
 * once per process, so an overestimate).
 */
export function readTreeMemory(children: ChildProcess[]): number[] {
  let parents: Map<number, number[]> | undefined;
  return children.map((child) => {
    const fromCgroup = limitedTree(child)?.memoryBytes();
    if (fromCgroup !== null && fromCgroup !== undefined) return fromCgroup;
    if (child.pid === undefined) return 0;
    parents ??= childrenByParent();
    let total = 0;
    const pending = [child.pid];
    for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
      total += residentBytes(pid);
      pending.push(...(parents.get(pid) ?? []));
    }
    return total;
  });
}

/** Every process's children, from one pass over /proc. */
function childrenByParent(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return map;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields count from the last ')'.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const siblings = map.get(parent) ?? [];
      siblings.push(Number(name));
      map.set(parent, siblings);
    } catch {
      // Gone meanwhile.
    }
  }
  return map;
}

function residentBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}
