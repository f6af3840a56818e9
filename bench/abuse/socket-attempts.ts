// Attempts that hold connections: slow clients dripping a byte a second, and many idle connections.
import { sleep } from '../http.js';
import { countOpenFiles } from '../proc.js';
import type { Attempt, Target } from './attempt.js';
import { describeSockets, holdSockets } from './drippers.js';
import { documentsPath } from './fixture.js';
import { describeSent, send, type Sent } from './send.js';

const SLOW_HEADERS = 200;
const SLOW_BODIES = 5;
const IDLE = 1000;
/** Sent right after the idle connections opened, and again at the end of the window. */
const NORMAL_REQUESTS = 50;
const NORMAL_IN_FLIGHT = 10;
const NORMAL_TIMEOUT_MS = 2000;

async function openFiles(pid: number): Promise<string> {
  const count = await countOpenFiles(pid);
  return count === undefined ? 'server file descriptors unknown' : `server held ${count} file descriptors`;
}

function addressOf(target: Target): { host: string; port: number } {
  const url = new URL(target.baseUrl);
  return { host: url.hostname, port: Number(url.port) };
}

/** Headers that never end, and bodies far shorter than their content-length, a byte a second each. */
const slowClients: Attempt = {
  group: 'Slow clients',
  name: `${SLOW_HEADERS} sockets dripping headers + ${SLOW_BODIES} dripping a body, a byte a second`,
  maxMs: (target) => target.slowMs + target.boundMs,
  async run(target) {
    const address = addressOf(target);
    const host = `Host: ${address.host}:${address.port}\r\n`;
    const headers = await holdSockets(SLOW_HEADERS, address, `GET /v1/health/version HTTP/1.1\r\n${host}X-Slow: `, 'a');
    const bodies = await holdSockets(
      SLOW_BODIES,
      address,
      `POST ${documentsPath()} HTTP/1.1\r\n${host}X-Appwrite-Project: ${target.projectId}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`,
      ' ',
    );
    await sleep(target.slowMs);
    // While they still hold on: can a newcomer get in?
    const newcomer = await send(`${target.baseUrl}/v1/health/version`, { timeoutMs: NORMAL_TIMEOUT_MS });
    const held = await openFiles(target.pid);
    headers.close();
    bodies.close();
    return [
      `after ${target.slowMs / 1000} s: ${describeSockets('headers', headers, SLOW_HEADERS)}`,
      describeSockets('bodies', bodies, SLOW_BODIES),
      `a new request then: ${describeSent(newcomer)}`,
      held,
    ].join('; ');
  },
};

/** Runs up to `count` GETs, `inFlight` at a time, each on a new connection, until done or `deadline`. */
async function normalRequests(url: string, count: number, inFlight: number, deadline: number): Promise<Sent[]> {
  const results: Sent[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (started < count && performance.now() + NORMAL_TIMEOUT_MS < deadline) {
        started++;
        results.push(await send(url, { timeoutMs: NORMAL_TIMEOUT_MS }));
      }
    }),
  );
  return results;
}

function describeNormal(when: string, results: Sent[]): string {
  const ok = results.filter((sent) => sent.status === 200).length;
  const reasons = new Map<string, number>();
  for (const sent of results) {
    if (sent.status === 200) continue;
    const reason = sent.status !== undefined ? String(sent.status) : (sent.failure ?? 'failed');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const failures = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return `${when}: ${ok}/${results.length} answered 200${failures ? ` (${failures})` : ''}`;
}

/** Idle connections that never send a byte, and ordinary requests on new connections meanwhile. */
const manyConnections: Attempt = {
  group: 'Many connections',
  name: `${IDLE.toLocaleString('en-US')} idle connections; ${NORMAL_REQUESTS} normal requests (new connections, ${NORMAL_IN_FLIGHT} at a time) at the start and again at the end`,
  maxMs: (target) => target.boundMs + 5000,
  async run(target) {
    const deadline = performance.now() + target.boundMs;
    const url = `${target.baseUrl}/v1/health/version`;
    const idle = await holdSockets(IDLE, addressOf(target), '');
    const early = await normalRequests(url, NORMAL_REQUESTS, NORMAL_IN_FLIGHT, deadline);
    // The late round shows whether the server frees what idle connections hold, given time.
    await sleep(Math.max(0, deadline - NORMAL_TIMEOUT_MS * 2 - performance.now()));
    const late = await normalRequests(url, NORMAL_REQUESTS, NORMAL_IN_FLIGHT, deadline);
    const held = await openFiles(target.pid);
    idle.close();
    return [describeSockets('idle', idle, IDLE), describeNormal('normal requests at the start', early), describeNormal('at the end', late), held].join('; ');
  },
};

export function socketAttempts(): Attempt[] {
  return [slowClients, manyConnections];
}
