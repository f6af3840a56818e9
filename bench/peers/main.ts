// `npm run bench:peers`: Plinth on SQLite and PostgreSQL, Parse Server and Directus, one at a time, same data, same load.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createCleanup, type Cleanup } from '../cleanup.js';
import { runLoad } from '../load.js';
import { agent, send } from './http-json.js';
import { installPeers } from './install.js';
import { loadNow, renderPeers, type Measured, type SystemRun } from './report.js';
import { RUN_ORDER, SCENARIOS, type Prepared, type System, type SystemContext } from './scenarios.js';
import { readSettings, type SystemKey } from './settings.js';
import { directus } from './systems/directus.js';
import { parse } from './systems/parse.js';
import { plinthOnPostgres, plinthOnSqlite } from './systems/plinth.js';
import { sampleTreeRss } from './tree-rss.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PEERS_DIR = fileURLToPath(new URL('../.peers', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/peers.md', import.meta.url));
/** Start, schema, seeding and sign-up of one system; past this it counts as failed. */
const PREPARE_TIMEOUT_MS = 6 * 60_000;

const SYSTEMS: Record<SystemKey, System> = { 'plinth-sqlite': plinthOnSqlite, 'plinth-postgres': plinthOnPostgres, parse, directus };

const log = (message: string) => process.stderr.write(`[peers ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The one cleanup in use: a signal stops the system running now, then the bench. */
let current: Cleanup | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers`);
    void (current?.run() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function measure(system: System, prepared: Prepared, settings: ReturnType<typeof readSettings>): Promise<SystemRun['results']> {
  const results: SystemRun['results'] = {};
  for (const id of RUN_ORDER) {
    const scenario = SCENARIOS.find((candidate) => candidate.id === id)!;
    const target = prepared.targets[id];
    if (!target) {
      results[id] = { missing: results[id]?.missing ?? 'n/a' };
      continue;
    }
    try {
      if (!prepared.server.running()) throw new Error(`the server is gone:\n${prepared.server.tail()}`);
      const answer = await send(target.method, target.url, target.headers, target.body === undefined ? undefined : JSON.parse(target.body));
      target.check(answer.status, answer.body);
      agent.destroy();
      log(`${system.name}: ${scenario.label}`);
      const sampler = sampleTreeRss(prepared.server.pid);
      const load = await runLoad(`${system.name}: ${scenario.label}`, target.url, target.headers, settings.load, {
        method: target.method,
        ...(target.body !== undefined ? { body: target.body } : {}),
        ...(scenario.connections ? { connections: scenario.connections } : {}),
      });
      const measured: Measured = { load, peakRssKb: await sampler.stop(), ...(target.caveat ? { caveat: target.caveat } : {}) };
      results[id] = measured;
      log(`  ${Math.round(load.reqPerSec)} req/s, p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms, ${load.errors + load.non2xx} failed`);
    } catch (error) {
      const message = (error as Error).message;
      log(`${system.name}: ${scenario.label} failed: ${message}`);
      results[id] = { missing: `failed: ${message.split('\n')[0]}` };
    }
  }
  return results;
}

async function runSystem(system: System, context: Omit<SystemContext, 'cleanup'>, settings: ReturnType<typeof readSettings>): Promise<SystemRun> {
  const run: SystemRun = { name: system.name, version: system.version, setup: system.setup, seeding: [], notes: [], results: {} };
  const cleanup = createCleanup();
  current = cleanup;
  try {
    log(`${system.name}: starting and seeding`);
    const prepared = await withTimeout(system.prepare({ ...context, cleanup }), PREPARE_TIMEOUT_MS, `${system.name}: start and seed`);
    run.seeding = prepared.seeding;
    run.notes = prepared.notes;
    run.results = await measure(system, prepared, settings);
  } catch (error) {
    const message = (error as Error).message;
    log(`${system.name} failed: ${message}`);
    run.failure = message;
  } finally {
    agent.destroy();
    log(`${system.name}: stopping`);
    await cleanup.run();
    current = undefined;
  }
  return run;
}

async function main(): Promise<void> {
  const started = performance.now();
  const settings = readSettings(process.env);
  const loadAtStart = loadNow();
  const peers = await installPeers(PEERS_DIR, { parse: settings.systems.includes('parse'), directus: settings.systems.includes('directus') }, log);
  const runs: SystemRun[] = [];
  for (const key of settings.systems) {
    runs.push(await runSystem(SYSTEMS[key], { root: ROOT, peersDir: PEERS_DIR, adminPgUrl: settings.adminPgUrl, peers, log }, settings));
  }
  const markdown = renderPeers({ date: new Date(), loadAtStart, settings, runs, wallSeconds: (performance.now() - started) / 1000 });
  await mkdir(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
  await writeFile(RESULTS, markdown);
  process.stdout.write(`\n${markdown}\nWritten to ${RESULTS}\n`);
  if (runs.some((run) => run.failure)) process.exitCode = 1;
}

await main().catch(async (error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await current?.run();
  process.exitCode = 1;
});
