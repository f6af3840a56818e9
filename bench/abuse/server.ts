import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Cleanup } from '../cleanup.js';
import { startPlinth, type RunningPlinth } from '../plinth.js';
import { stopChild } from '../processes.js';

const execFileAsync = promisify(execFile);
/** A server stuck in a synchronous loop never handles SIGTERM: a short grace, then SIGKILL. */
const STUCK_GRACE_MS = 500;

/** The server the attempts aim at, restartable on the same store after an attempt left it stuck. */
export interface AbuseServer {
  current(): RunningPlinth;
  /** The exit code or signal when the server died by itself. */
  exited(): string | undefined;
  restart(): Promise<void>;
}

/** Lowers the open-file limit of a running process (util-linux `prlimit`), so it cannot raise it back. */
async function limitOpenFiles(pid: number, openFiles: number): Promise<void> {
  await execFileAsync('prlimit', ['--pid', String(pid), `--nofile=${openFiles}:${openFiles}`]);
}

/** `plinth serve` with the server's own abuse limits (nothing pinned off), and `openFiles` as its limit when not 0. */
export async function startAbuseServer(root: string, dataDir: string, databaseUrl: string | undefined, openFiles: number, cleanup: Cleanup): Promise<AbuseServer> {
  const start = async () => {
    const server = await startPlinth(root, dataDir, cleanup, databaseUrl, 'default');
    if (openFiles > 0) await limitOpenFiles(server.child.pid, openFiles);
    return server;
  };
  let running = await start();
  return {
    current: () => running,
    exited() {
      const { exitCode, signalCode } = running.child.process;
      return exitCode !== null ? `exit code ${exitCode}` : (signalCode ?? undefined);
    },
    async restart() {
      await stopChild(running.child, STUCK_GRACE_MS);
      running = await start();
    },
  };
}
