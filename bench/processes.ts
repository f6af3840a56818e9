import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
/** Keep this much of a child's output, to explain a failure. */
const TAIL_CHARS = 4000;

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<void>;
  /** Resolves with the first stdout line matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** The end of stdout and stderr together. */
  tail(): string;
}

export function spawnChild(name: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: spawn failed`);
  let tail = '';
  let partial = '';
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const keep = (text: string) => {
    tail = (tail + text).slice(-TAIL_CHARS);
  };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    keep(text);
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  exited.then(() => {
    for (const wake of waiters) wake();
  });

  return {
    name,
    pid: child.pid,
    process: child,
    exited,
    tail: () => tail,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const finish = (error?: Error, line?: string) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(line ?? '');
        };
        const check = () => {
          for (; seen < lines.length; seen++) {
            const line = lines[seen] ?? '';
            if (pattern.test(line)) return finish(undefined, line);
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            finish(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${tail}`));
          }
        };
        const timer = setTimeout(() => finish(new Error(`${name}: no ${pattern} within ${timeoutMs} ms:\n${tail}`)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopChild(child: Child, graceMs = 5000): Promise<void> {
  const running = () => child.process.exitCode === null && child.process.signalCode === null;
  if (!running()) return;
  child.process.kill('SIGTERM');
  if (await exitsWithin(child, graceMs)) return;
  child.process.kill('SIGKILL');
  if (!(await exitsWithin(child, graceMs))) throw new Error(`${child.name} (pid ${child.pid}) did not exit after SIGKILL`);
}

async function exitsWithin(child: Child, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([child.exited.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}

/** Runs a node script to completion; throws with its output if it fails. */
export async function runNode(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs });
  return stdout;
}

/** A port free right now on loopback; the bench server binds it moments later. */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
