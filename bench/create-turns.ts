// Document creates, for two or more checkouts side by side: each gets its own server and
// collection, then autocannon (50 connections) loads them in alternating turns, or all at once with
// CREATE_TOGETHER=1, so a machine busy with other work slows every checkout alike. Beside req/s and
// p50 it reports the server's CPU per request (from /proc), which the machine's load moves less.
//   npm run bench:create -- <checkout>[,NAME=value…] …
// Settings after a checkout go to its server only, to compare a checkout with itself.
// CREATE_SEED: documents seeded first through the bulk API (0). CREATE_TURNS (3), CREATE_SECONDS (5).
// CREATE_NODE_ARGS: before the server's script, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
// PLINTH_BENCH_DB=postgres://… runs every server on PostgreSQL, each on a fresh database of that server;
// when PostgreSQL runs on this machine, the CPU of the backends serving each database is reported too.
import autocannon from 'autocannon';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanupOnSignals, createCleanup, type Cleanup } from './cleanup.js';
import { Latencies } from './latencies.js';
import { createApiKey, createProject, makeDataDir, plinthEnv, PROJECT_ID } from './plinth.js';
import { createBenchDatabase } from './postgres.js';
import { pickFreePort, spawnChild, stopChild } from './processes.js';
import { createdPost, post, LARGE } from './peers/dataset.js';
import { expectJson, pool, waitUntilAnswering } from './peers/http-json.js';

const seedCount = Number(process.env.CREATE_SEED ?? 0);
const turns = Number(process.env.CREATE_TURNS ?? 3);
const seconds = Number(process.env.CREATE_SECONDS ?? 5);
const together = process.env.CREATE_TOGETHER === '1';
const nodeArgs = (process.env.CREATE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const adminPgUrl = process.env.PLINTH_BENCH_DB || undefined;

interface Target {
  root: string;
  pid: number;
  /** The PostgreSQL database the server uses, if any. */
  database?: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

async function waitForAttributes(collectionUrl: string, headers: Record<string, string>): Promise<void> {
  for (;;) {
    const collection = await expectJson<{ attributes: { status: string }[]; indexes: { status: string }[] }>('GET', collectionUrl, headers, 200);
    if ([...collection.attributes, ...collection.indexes].every((item) => item.status === 'available')) return;
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function prepare(spec: string, cleanup: Cleanup): Promise<Target> {
  const [path = '.', ...settings] = spec.split(',');
  const root = resolve(path);
  const extra = Object.fromEntries(settings.map((setting) => setting.split('=') as [string, string]));
  const dataDir = await makeDataDir(cleanup);
  // Deferred before the server starts, so the drop runs after its stop.
  const databaseUrl = adminPgUrl ? await createBenchDatabase(adminPgUrl, cleanup) : undefined;
  await createProject(root, dataDir, databaseUrl);
  const key = await createApiKey(root, dataDir, databaseUrl);
  const port = await pickFreePort();
  const child = spawnChild(`plinth ${root}`, [...nodeArgs, 'bin/plinth.js', 'serve'], { cwd: root, env: { ...plinthEnv(dataDir, port, 'warn', databaseUrl), ...extra } });
  cleanup.defer(() => stopChild(child));
  const base = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${base}/v1/health/version`, () => child.process.exitCode === null, child.tail, 60_000);
  const headers = { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Key': key };
  await expectJson('POST', `${base}/v1/databases`, headers, 201, { databaseId: 'bench', name: 'Bench' });
  const collectionUrl = `${base}/v1/databases/bench/collections/posts`;
  await expectJson('POST', `${base}/v1/databases/bench/collections`, headers, 201, { collectionId: 'posts', name: 'posts', documentSecurity: false, permissions: [] });
  await expectJson('POST', `${collectionUrl}/attributes/string`, headers, 202, { key: 'title', size: 128, required: true });
  await expectJson('POST', `${collectionUrl}/attributes/string`, headers, 202, { key: 'body', size: 2000, required: false });
  await expectJson('POST', `${collectionUrl}/attributes/integer`, headers, 202, { key: 'rank', required: false });
  await expectJson('POST', `${collectionUrl}/attributes/boolean`, headers, 202, { key: 'published', required: false });
  await waitForAttributes(collectionUrl, headers);
  await expectJson('POST', `${collectionUrl}/indexes`, headers, 202, { key: 'rank_key', type: 'key', attributes: ['rank'] });
  await waitForAttributes(collectionUrl, headers);
  const batch = 250;
  await pool(Math.ceil(seedCount / batch), 4, async (b) => {
    const documents = Array.from({ length: Math.min(batch, seedCount - b * batch) }, (_, k) => ({ $id: `s${b * batch + k}`, ...post(LARGE, b * batch + k) }));
    await expectJson('POST', `${collectionUrl}/documents`, headers, [200, 201], { documents });
  });
  return { root: spec, pid: child.pid, ...(databaseUrl ? { database: new URL(databaseUrl).pathname.slice(1) } : {}), url: `${collectionUrl}/documents`, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ documentId: 'unique()', data: createdPost }) };
}

/** User and system CPU of a process so far, in milliseconds (from /proc, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU so far of the PostgreSQL backends serving one database, by pid, when PostgreSQL runs on
 * this machine (a backend's title names its database). A backend that ends between two readings
 * takes its share with it, so the figure is a floor.
 */
function databaseCpuMs(database: string): Map<number, number> {
  const backends = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.split(' ').includes(database)) backends.set(Number(entry), cpuMs(Number(entry)));
    } catch {
      // Gone meanwhile.
    }
  }
  return backends;
}

function spentSince(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

async function load(target: Target): Promise<{ reqPerSec: number; p50: number; non2xx: number; cpuPerRequest: number; databaseCpuPerRequest?: number }> {
  let cpuBefore = 0;
  let databaseBefore = new Map<number, number>();
  const latencies = new Latencies();
  const instance = autocannon({ url: target.url, method: 'POST', headers: target.headers, body: target.body, connections: 50, duration: seconds, warmup: { connections: 50, duration: 1 } });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.add(ms);
  });
  // The CPU counted is the measured part's alone: taken when the warm-up ends.
  setTimeout(() => {
    cpuBefore = cpuMs(target.pid);
    if (target.database) databaseBefore = databaseCpuMs(target.database);
  }, 1000);
  const result = await instance;
  const cpuPerRequest = (cpuMs(target.pid) - cpuBefore) / result.requests.total;
  const databaseCpuPerRequest = target.database ? spentSince(databaseBefore, databaseCpuMs(target.database)) / result.requests.total : undefined;
  return { cpuPerRequest, ...(databaseCpuPerRequest === undefined ? {} : { databaseCpuPerRequest }), reqPerSec: result.requests.average, p50: latencies.percentiles(50)[0] ?? NaN, non2xx: result.non2xx + result.errors };
}

const roots = process.argv.slice(2);
if (roots.length === 0) throw new Error('name one or more checkouts');
const cleanup = createCleanup();
cleanupOnSignals(cleanup);
try {
  // Prepared side by side: seeding is the slow part, and no load runs yet.
  const targets = await Promise.all(roots.map((root) => prepare(root, cleanup)));
  // What the servers spend with no request at all (pollers, sweeps), as a floor under the per-request figures.
  const idleBefore = targets.map((target) => cpuMs(target.pid));
  await new Promise((done) => setTimeout(done, 5000));
  targets.forEach((target, i) => console.log(`idle ${target.root}: ${((cpuMs(target.pid) - idleBefore[i]!) / 5).toFixed(0)} ms of CPU a second`));
  const report = (turn: number, target: Target, result: Awaited<ReturnType<typeof load>>) =>
    console.log(`turn ${turn} ${target.root}: ${Math.round(result.reqPerSec)} req/s, p50 ${result.p50.toFixed(2)} ms, failed ${result.non2xx}, server CPU ${result.cpuPerRequest.toFixed(2)} ms a request${result.databaseCpuPerRequest === undefined ? '' : `, PostgreSQL CPU ${result.databaseCpuPerRequest.toFixed(2)} ms`}`);
  for (let turn = 1; turn <= turns; turn++) {
    if (together) {
      // Loaded at once, every server meets the same machine: their shares of it compare their costs.
      const results = await Promise.all(targets.map((target) => load(target)));
      targets.forEach((target, i) => report(turn, target, results[i]!));
    } else for (const target of targets) report(turn, target, await load(target));
  }
} finally {
  await cleanup.run();
}
