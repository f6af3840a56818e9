// `npm run bench:realtime`: held websocket connections (RSS per connection), broadcast fan-out
// latency, and sustained events per second to subscribers of their own document channels.
// Sizes: BENCH_RT_CONNECTIONS (10000), BENCH_RT_BROADCASTS (5), BENCH_RT_SUBSCRIBERS (1000),
// BENCH_RT_SECONDS (10), BENCH_RT_WRITERS (8); BENCH_RT_DB=postgres://… runs on PostgreSQL.
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { signUpAndIn } from './accounts.js';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { Latencies } from './latencies.js';
import { PROJECT_ID, startBenchProject } from './plinth.js';
import { readStatusKb } from './proc.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DB = 'bench';
const COLLECTION = 'items';

const log = (message: string) => process.stderr.write(`[bench:realtime] ${message}\n`);

function readCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

const settings = {
  connections: readCount('BENCH_RT_CONNECTIONS', 10_000),
  broadcasts: readCount('BENCH_RT_BROADCASTS', 5),
  subscribers: readCount('BENCH_RT_SUBSCRIBERS', 1000),
  seconds: readCount('BENCH_RT_SECONDS', 10),
  writers: readCount('BENCH_RT_WRITERS', 8),
};

async function api(url: string, key: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}/v1${path}`, {
    method,
    headers: { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Key': key, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function setupCollection(url: string, key: string): Promise<void> {
  await api(url, key, 'POST', '/databases', { databaseId: DB, name: 'Bench' });
  await api(url, key, 'POST', `/databases/${DB}/collections`, { collectionId: COLLECTION, name: 'Items', permissions: ['read("users")'], documentSecurity: false });
  await api(url, key, 'POST', `/databases/${DB}/collections/${COLLECTION}/attributes/integer`, { key: 'value', required: false });
  for (;;) {
    const attribute = await api(url, key, 'GET', `/databases/${DB}/collections/${COLLECTION}/attributes/value`);
    if (attribute.status === 'available') return;
    if (attribute.status === 'failed') throw new Error('attribute failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Client {
  socket: WebSocket;
  onEvent: (data: string) => void;
}

/** Opens `count` authenticated sockets, `batch` at a time, each resolved on its `connected` message. */
async function openClients(wsUrl: string, session: string, channelOf: (i: number) => string, count: number, batch = 250): Promise<Client[]> {
  const clients: Client[] = [];
  for (let start = 0; start < count; start += batch) {
    const opening: Promise<Client>[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      opening.push(
        new Promise((resolve, reject) => {
          const socket = new WebSocket(`${wsUrl}/v1/realtime?project=${PROJECT_ID}&channels[]=${encodeURIComponent(channelOf(i))}`, {
            headers: { 'X-Appwrite-Session': session },
            perMessageDeflate: false,
          });
          const client: Client = { socket, onEvent: () => {} };
          socket.once('error', reject);
          socket.once('message', (data) => {
            const message = JSON.parse(data.toString()) as { type: string; data: { user: unknown } };
            if (message.type !== 'connected' || !message.data.user) return reject(new Error(`expected an authenticated connected, got ${data.toString()}`));
            socket.on('message', (frame) => client.onEvent(frame.toString()));
            resolve(client);
          });
        }),
      );
    }
    clients.push(...(await Promise.all(opening)));
  }
  return clients;
}

async function closeClients(clients: Client[]): Promise<void> {
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.socket.readyState === WebSocket.CLOSED) return resolve();
          client.socket.once('close', () => resolve());
          client.socket.close();
        }),
    ),
  );
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  log(`settings ${JSON.stringify(settings)}`);
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  // Read by the server through the inherited environment: one address opens every connection.
  process.env.PLINTH_REALTIME_CONNECTIONS_PER_MINUTE = '0';
  process.env.PLINTH_REALTIME_MESSAGES_PER_MINUTE = '0';
  const databaseUrl = process.env.BENCH_RT_DB || undefined;
  try {
    const { key, plinth: server } = await startBenchProject(ROOT, cleanup, databaseUrl);
    const wsUrl = server.url.replace('http://', 'ws://');
    const session = await signUpAndIn(server.url, PROJECT_ID);
    await setupCollection(server.url, key);

    // 1. Held connections.
    const idleKb = (await readStatusKb(server.child.pid, 'VmRSS')) ?? NaN;
    const openedAt = performance.now();
    const crowd = await openClients(wsUrl, session, () => `databases.${DB}.collections.${COLLECTION}.documents`, settings.connections);
    const openSeconds = (performance.now() - openedAt) / 1000;
    const heldKb = (await readStatusKb(server.child.pid, 'VmRSS')) ?? NaN;
    const perConnectionKb = (heldKb - idleKb) / settings.connections;
    log(`${settings.connections} connections in ${round(openSeconds)} s; RSS ${round(idleKb / 1024)} → ${round(heldKb / 1024)} MB (${round(perConnectionKb)} kB each)`);

    // 2. Broadcast fan-out: one write, every connection gets it; latency from the write's start.
    const fanOut = new Latencies();
    const lastArrival: number[] = [];
    for (let b = 0; b < settings.broadcasts; b++) {
      let remaining = settings.connections;
      let startedAt = 0;
      let lastAt = 0;
      const all = new Promise<void>((resolve) => {
        for (const client of crowd) {
          client.onEvent = () => {
            const now = performance.now();
            fanOut.add(now - startedAt);
            lastAt = now;
            if (--remaining === 0) resolve();
          };
        }
      });
      startedAt = performance.now();
      await api(server.url, key, 'POST', `/databases/${DB}/collections/${COLLECTION}/documents`, { documentId: `b${b}`, data: { value: b } });
      await all;
      lastArrival.push(lastAt - startedAt);
    }
    const [fanP50, fanP99] = fanOut.percentiles(50, 99);
    log(`fan-out to ${settings.connections}: p50 ${round(fanP50!)} ms, p99 ${round(fanP99!)} ms, last ${round(Math.max(...lastArrival))} ms`);
    const peakKb = (await readStatusKb(server.child.pid, 'VmHWM')) ?? NaN;
    await closeClients(crowd);

    // 3. Sustained: each subscriber listens to its own document; writers update random ones.
    for (let i = 0; i < settings.subscribers; i++) {
      await api(server.url, key, 'POST', `/databases/${DB}/collections/${COLLECTION}/documents`, { documentId: `d${i}`, data: { value: 0 } });
    }
    const subscribers = await openClients(wsUrl, session, (i) => `databases.${DB}.collections.${COLLECTION}.documents.d${i}`, settings.subscribers);
    const sustained = new Latencies();
    const sentAt = new Map<string, number>();
    let delivered = 0;
    subscribers.forEach((client) => {
      client.onEvent = (frame) => {
        const { data } = JSON.parse(frame) as { data: { payload: { $id: string; value: number } } };
        const started = sentAt.get(`${data.payload.$id}:${data.payload.value}`);
        if (started !== undefined) sustained.add(performance.now() - started);
        delivered++;
      };
    });
    let writes = 0;
    const deadline = performance.now() + settings.seconds * 1000;
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: settings.writers }, async (_, writer) => {
        for (let n = 1; performance.now() < deadline; n++) {
          const id = `d${Math.floor(Math.random() * settings.subscribers)}`;
          const value = writer * 1_000_000 + n;
          sentAt.set(`${id}:${value}`, performance.now());
          await api(server.url, key, 'PATCH', `/databases/${DB}/collections/${COLLECTION}/documents/${id}`, { data: { value } });
          writes++;
        }
      }),
    );
    // Every write's event is in flight or arrived; wait for the stragglers.
    while (delivered < writes) await new Promise((resolve) => setTimeout(resolve, 10));
    const elapsed = (performance.now() - startedAt) / 1000;
    const [susP50, susP99] = sustained.percentiles(50, 99);
    log(`sustained: ${writes} writes, ${delivered} events in ${round(elapsed)} s = ${round(delivered / elapsed, 0)} events/s; p50 ${round(susP50!)} ms, p99 ${round(susP99!)} ms`);
    await closeClients(subscribers);

    const engine = databaseUrl ? 'PostgreSQL' : 'SQLite';
    process.stdout.write(
      [
        `| realtime (${engine}, one server process) | result |`,
        '|---|---|',
        `| ${settings.connections} authenticated connections | opened in ${round(openSeconds)} s; RSS ${round(idleKb / 1024)} MB idle → ${round(heldKb / 1024)} MB held (${round(perConnectionKb)} kB per connection); peak ${round(peakKb / 1024)} MB |`,
        `| broadcast to ${settings.connections} subscribers (${settings.broadcasts} writes) | p50 ${round(fanP50!)} ms, p99 ${round(fanP99!)} ms from the write's start to delivery |`,
        `| ${settings.subscribers} subscribers on their own document, ${settings.writers} writers, ${settings.seconds} s | ${round(delivered / elapsed, 0)} events/s delivered; p50 ${round(susP50!)} ms, p99 ${round(susP99!)} ms |`,
        '',
      ].join('\n'),
    );
  } finally {
    await cleanup.run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
