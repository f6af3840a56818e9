import { readdir, readFile } from 'node:fs/promises';

const SAMPLE_MS = 200;

/** pid → parent pid for every process visible in /proc. */
async function parentsByPid(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[1]) parents.set(Number(entry), Number(fields[1]));
  }
  return parents;
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** Resident memory of `root` and all its descendants, summed (shared pages count once per process). */
export async function treeRssKb(root: number): Promise<number> {
  const parents = await parentsByPid();
  const tree = new Set([root]);
  // Parents may be listed after their children: repeat until no pid joins.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!tree.has(pid) && tree.has(parent)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of tree) total += await rssKb(pid);
  return total;
}

export interface RssSampler {
  /** Stops sampling; resolves with the highest tree RSS seen, in kB. */
  stop(): Promise<number>;
}

/** Samples the tree's RSS every SAMPLE_MS until stopped. */
export function sampleTreeRss(root: number): RssSampler {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      peak = Math.max(peak, await treeRssKb(root));
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
    peak = Math.max(peak, await treeRssKb(root));
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return peak;
    },
  };
}
