// The probe, in a process of its own so the bench's own work (building bodies, holding sockets)
// cannot delay it: GET /v1/health/version every ~10 ms on one keep-alive connection, until the
// parent sends "stop"; then it sends its tally and exits. Argument: the server's base URL.
import { Agent, request } from 'node:http';
import type { ProbeTally } from './probe.js';

const INTERVAL_MS = 10;
/** An answer slower than this counts as a timeout of the probe. */
const TIMEOUT_MS = 1000;

const url = `${process.argv[2]}/v1/health/version`;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const seenSockets = new WeakSet<object>();
const tally: ProbeTally = { sent: 0, answered: 0, failed: 0, timeouts: 0, longestMs: 0, stuck: false, connections: 0, firstFailure: undefined };
let waitingSince: number | undefined;
let running = true;

function probeOnce(): Promise<void> {
  return new Promise((resolve) => {
    const fail = (reason: string) => {
      tally.failed++;
      tally.firstFailure ??= reason;
      resolve();
    };
    const req = request(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) tally.answered++;
        else fail(`status ${response.statusCode}`);
        resolve();
      });
      response.on('error', (error) => fail(error.message));
    });
    req.on('socket', (socket) => {
      if (!seenSockets.has(socket)) {
        seenSockets.add(socket);
        tally.connections++;
      }
    });
    req.on('error', (error) => fail((error as NodeJS.ErrnoException).code ?? error.message));
    req.end();
  });
}

async function loop(): Promise<void> {
  while (running) {
    const sent = performance.now();
    waitingSince = sent;
    tally.sent++;
    await probeOnce();
    waitingSince = undefined;
    const gap = performance.now() - sent;
    tally.longestMs = Math.max(tally.longestMs, gap);
    if (gap > TIMEOUT_MS) tally.timeouts++;
    if (tally.answered === 1 && tally.sent === 1) process.send?.('ready');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, INTERVAL_MS - gap)));
  }
}

/** Stop: the probe in flight gets this long to be answered, so a stall that outlasts the attack is measured whole. */
const STOP_GRACE_MS = 1000;

process.on('message', (message) => {
  if (message !== 'stop') return;
  running = false;
  const sentAt = waitingSince;
  const report = () => {
    // Still waiting: the server has not answered yet, and its wait so far is the stall.
    if (waitingSince !== undefined && waitingSince === sentAt) {
      const waited = performance.now() - waitingSince;
      tally.longestMs = Math.max(tally.longestMs, waited);
      tally.stuck = true;
      if (waited > TIMEOUT_MS) tally.timeouts++;
    }
    process.send?.(tally, () => process.exit(0));
  };
  if (sentAt === undefined) return report();
  const deadline = performance.now() + STOP_GRACE_MS;
  const check = () => (waitingSince !== sentAt || performance.now() >= deadline ? report() : setTimeout(check, 5));
  check();
});

void loop();
