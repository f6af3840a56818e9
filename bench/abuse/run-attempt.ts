import type { Cleanup } from '../cleanup.js';
import { sleep } from '../http.js';
import type { Attempt, Target } from './attempt.js';
import { startProbe, type ProbeTally } from './probe.js';
import { send } from './send.js';
import type { AbuseServer } from './server.js';

/** The probe keeps running this long after the attack, to see a stall that outlasts the attacker's answer. */
const SETTLE_MS = 300;
/** How long a new connection may wait for an answer after the attempt before the server counts as stuck. */
const AFTER_TIMEOUT_MS = 2000;

export interface AttemptResult {
  group: string;
  name: string;
  /** What the attacker got back. */
  outcome: string;
  tally: ProbeTally;
  /** What happened to the server after the attempt, when anything did: died, stuck and restarted. */
  aftermath: string | undefined;
}

/** `work`, or after `ms` a note that the bench stopped waiting for it. */
function withCutOff(work: Promise<string>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`bench cut the attempt off after ${(ms / 1000).toFixed(0)} s`), ms);
  });
  return Promise.race([work, cut]).finally(() => clearTimeout(timer));
}

/**
 * Probes the server while `attempt` runs; afterwards checks that a new connection gets an answer,
 * and restarts a dead or stuck server so the next attempt meets a working one.
 */
export async function runAttempt(attempt: Attempt, server: AbuseServer, target: Omit<Target, 'baseUrl' | 'pid'>, cleanup: Cleanup): Promise<AttemptResult> {
  const { url: baseUrl, child } = server.current();
  const full: Target = { ...target, baseUrl, pid: child.pid };
  const probe = await startProbe(baseUrl, cleanup);
  const outcome = await withCutOff(
    attempt.run(full).catch((error: unknown) => `bench error: ${(error as Error).message}`),
    attempt.maxMs(full),
  );
  await sleep(SETTLE_MS);
  const tally = await probe.stop();

  let aftermath: string | undefined;
  const exited = server.exited();
  if (exited) {
    aftermath = `server died (${exited}); restarted`;
  } else {
    const after = await send(`${baseUrl}/v1/health/version`, { timeoutMs: AFTER_TIMEOUT_MS });
    if (after.status !== 200) aftermath = `server did not answer a new connection within ${AFTER_TIMEOUT_MS / 1000} s (${after.status ?? after.failure}); killed and restarted`;
  }
  if (aftermath) await server.restart();
  return { group: attempt.group, name: attempt.name, outcome, tally, aftermath };
}

/** The probe alone on an idle server: the noise floor of the machine and of the probe itself. */
export async function runIdle(server: AbuseServer, ms: number, cleanup: Cleanup): Promise<ProbeTally> {
  const probe = await startProbe(server.current().url, cleanup);
  await sleep(ms);
  return probe.stop();
}
