import { spawn, type ChildProcess } from 'node:child_process';

/** Keep this much of a server's output, to explain a failure. */
const TAIL_CHARS = 6000;

export interface Server {
  name: string;
  pid: number;
  process: ChildProcess;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<void>;
  /** The end of stdout and stderr together. */
  tail(): string;
  running(): boolean;
}

/** Process groups still running: killed outright if the bench exits without stopping them. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
});

/**
 * Spawns `command` as the leader of its own process group, so that stopping it also stops
 * anything it forked (a cluster worker, a helper binary).
 */
export function spawnServer(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Server {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`${name}: spawn of ${command} failed`);
  const pid = child.pid;
  liveGroups.add(pid);
  let tail = '';
  const keep = (text: string) => {
    tail = (tail + text).slice(-TAIL_CHARS);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      keep(`\n${error.message}\n`);
      resolve();
    });
  });
  return {
    name,
    pid,
    process: child,
    exited,
    tail: () => tail,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

function signalGroup(server: Server, signal: NodeJS.Signals): void {
  try {
    process.kill(-server.pid, signal);
  } catch {
    // The group is gone already.
  }
}

async function exitsWithin(server: Server, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([server.exited.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}

/** SIGTERM to the whole group, then SIGKILL to the group if the leader has not exited within `graceMs`. */
export async function stopServer(server: Server, graceMs = 5000): Promise<void> {
  if (server.running()) {
    signalGroup(server, 'SIGTERM');
    if (!(await exitsWithin(server, graceMs))) signalGroup(server, 'SIGKILL');
    if (!(await exitsWithin(server, graceMs))) throw new Error(`${server.name} (pid ${server.pid}) did not exit after SIGKILL`);
  }
  // Forked children may outlive their leader: the group gets a last SIGKILL either way.
  signalGroup(server, 'SIGKILL');
  liveGroups.delete(server.pid);
}
