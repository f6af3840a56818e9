import { readdir, readFile, readlink } from 'node:fs/promises';

/** A line of /proc/<pid>/status in kB, e.g. VmRSS (resident now) or VmHWM (peak resident); undefined off Linux. */
export async function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** File descriptors `pid` holds right now, sockets included; undefined off Linux. */
export async function countOpenFiles(pid: number): Promise<number | undefined> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
  return fds?.length;
}

/**
 * Whether `pid` itself holds the socket listening on `port`: proves that the process we measure
 * is the server, not a launcher that forked it.
 */
export async function holdsListeningSocket(pid: number, port: number): Promise<boolean> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // st 0A = LISTEN; fields[9] is the socket inode.
      if (local && fields[3] === '0A' && parseInt(local.split(':')[1] ?? '', 16) === port && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return false;
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
}
