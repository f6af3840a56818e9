import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './process-alive.js';

/**
 * pasta leaves a daemon that outlives the namespace it serves and knows nothing of this server.
 * Each one writes its pid into a file of this server's folder, so the server stops them with the
 * sandbox, when it exits, or (after a crash) the next server does.
 */
const RUN_DIR_PREFIX = 'plinth-net-';
let runDir: string | undefined;
let nextPidFile = 0;
/** pasta processes still configuring a namespace (before they leave their daemon). */
const starting = new Set<ChildProcess>();

/** A fresh pid file path for one pasta. */
export function newPastaPidFile(): string {
  return join(pastaRunDir(), `${nextPidFile++}.pid`);
}

/** Notes a pasta that is configuring a namespace, so a server exiting meanwhile kills it. */
export function trackStartingPasta(starter: ChildProcess): void {
  starting.add(starter);
  starter.once('exit', () => starting.delete(starter));
}

function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the pasta of a pid file, if it still runs, and removes the file. */
export function stopPasta(pidFile: string): void {
  const pid = readPid(pidFile);
  if (pid !== undefined && isPastaOf(pid, pidFile)) kill(pid);
  rmSync(pidFile, { force: true });
}

/** The pid is still the pasta that wrote this pid file (and not a process that reused its number). */
function isPastaOf(pid: number, pidFile: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(pidFile);
  } catch {
    return false;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** This server's folder of pasta pid files; made on first use, after sweeping those of servers that are gone. */
export function pastaRunDir(): string {
  if (runDir) return runDir;
  sweepOrphans();
  runDir = join(tmpdir(), `${RUN_DIR_PREFIX}${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  // Sandboxes die with the server (--die-with-parent), their pasta processes would not.
  process.once('exit', () => {
    for (const starter of starting) starter.kill('SIGKILL');
    stopAllPasta(runDir!);
  });
  return runDir;
}

/** A server killed outright leaves its pasta processes running: the next one stops them. */
function sweepOrphans(): void {
  for (const name of readdirSync(tmpdir())) {
    const owner = Number(name.startsWith(RUN_DIR_PREFIX) ? name.slice(RUN_DIR_PREFIX.length) : NaN);
    if (!Number.isInteger(owner) || owner === process.pid || isProcessAlive(owner)) continue;
    stopAllPasta(join(tmpdir(), name));
  }
}

/** Stops each pasta with a pid file in the folder, then removes it. */
function stopAllPasta(dir: string): void {
  try {
    for (const file of readdirSync(dir)) if (file.endsWith('.pid')) stopPasta(join(dir, file));
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Gone already (another server sweeping at the same time).
  }
}
