import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from '../cleanup.js';

/** What the probe saw between start and stop. */
export interface ProbeTally {
  sent: number;
  /** 200 answers. */
  answered: number;
  /** Errors (reset, refused) and non-200 answers. */
  failed: number;
  /** Probes that waited longer than a second, answered or not. */
  timeouts: number;
  /** The longest wait from a probe sent to its answer: the longest stall seen from outside. */
  longestMs: number;
  /** A probe was still unanswered when the probe stopped; `longestMs` is then a lower bound. */
  stuck: boolean;
  /** Connections the probe opened: 1 unless the server closed its keep-alive connection. */
  connections: number;
  firstFailure: string | undefined;
}

export interface Probe {
  stop(): Promise<ProbeTally>;
}

const READY_TIMEOUT_MS = 10_000;
const PROBE_SCRIPT = fileURLToPath(new URL('./probe-process.ts', import.meta.url));

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Forks the probe (the bench's own `--import tsx` is inherited) and resolves once its first
 * request was answered, so its connection is open before any attack starts.
 */
export async function startProbe(baseUrl: string, cleanup: Cleanup): Promise<Probe> {
  const child = fork(PROBE_SCRIPT, [baseUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  cleanup.defer(() => kill(child));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the probe got no answer from ${baseUrl} within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the probe exited (${code}) before its first answer`));
    });
  });
  return {
    stop: () =>
      new Promise<ProbeTally>((resolve, reject) => {
        child.removeAllListeners('exit');
        child.once('message', (tally) => resolve(tally as ProbeTally));
        child.once('exit', (code) => reject(new Error(`the probe exited (${code}) without its tally`)));
        child.send('stop');
      }),
  };
}
