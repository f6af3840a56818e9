// `npm run bench`: Plinth's HTTP pipeline against a raw node:http baseline, plus startup time and memory.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCH_USER, signUpAndIn } from './accounts.js';
import { startHello } from './baseline.js';
import { cleanupOnSignals, createCleanup, type Cleanup } from './cleanup.js';
import { runDocumentScenarios, setupPosts, type Seeding } from './documents.js';
import { httpGet, sleep } from './http.js';
import { readLoadSettings, runLoad, type LoadResult, type LoadSettings } from './load.js';
import { createApiKey, createProject, makeDataDir, measureColdStart, PROJECT_ID, startPlinth, type ColdStart } from './plinth.js';
import { analyzeBenchDatabase, createBenchDatabase, redact } from './postgres.js';
import { holdsListeningSocket, readStatusKb } from './proc.js';
import { stopChild } from './processes.js';
import { renderMarkdown, type Memory } from './report.js';
import { resultsFile, runBench, writeResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('pipeline.md');
const COLD_STARTS = 5;
const IDLE_MS = 2000;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function coldStarts(cleanup: Cleanup, count: number): Promise<ColdStart[]> {
  const starts: ColdStart[] = [];
  for (let i = 0; i < count; i++) {
    const start = await measureColdStart(ROOT, cleanup);
    log(`  cold start ${i + 1}/${count}: listening ${Math.round(start.listenMs)} ms, first 200 ${Math.round(start.firstAnswerMs)} ms`);
    starts.push(start);
  }
  return starts;
}

/** Schema, seed and the document scenarios on a running server; the API key comes from the CLI on the same store. */
async function documentRuns(
  engine: string,
  url: string,
  dataDir: string,
  databaseUrl: string | undefined,
  settings: LoadSettings,
): Promise<{ seeding: Seeding; loads: LoadResult[] }> {
  const key = await createApiKey(ROOT, dataDir, databaseUrl);
  const headers = { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Key': key };
  log(`${engine}: creating database, collection, attributes and index`);
  const seeding = await setupPosts(engine, url, headers, log);
  if (databaseUrl) await analyzeBenchDatabase(databaseUrl);
  const loads = await runDocumentScenarios(engine, url, headers, settings, log);
  return { seeding, loads };
}

async function main(): Promise<void> {
  const settings = readLoadSettings(process.env);
  const loadAtStart = loadavg()[0] ?? NaN;
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    // Startup first, while nothing else runs. One unrecorded start lets bin/plinth.js rebuild
    // dist/plinth.cjs (and its code cache) if a source is newer, so no measured start pays for a build.
    log('startup: one unrecorded start (rebuilds a stale bundle)');
    await measureColdStart(ROOT, cleanup);
    log(`startup: ${COLD_STARTS} cold starts`);
    const starts = await coldStarts(cleanup, COLD_STARTS);

    const loads: LoadResult[] = [];
    const memory: Memory = { baselineIdleKb: undefined, plinthIdleKb: undefined, plinthAfterLoadKb: undefined, plinthPeakKb: undefined, plinthAfterDocumentsKb: undefined, pidVerified: false };
    const seeding: Seeding[] = [];

    log('baseline: starting hello-server');
    const hello = await startHello(cleanup);
    await sleep(IDLE_MS);
    memory.baselineIdleKb = await readStatusKb(hello.child.pid, 'VmRSS');
    log(`baseline: load on ${hello.url}/`);
    loads.push(await runLoad('baseline: node:http hello', `${hello.url}/`, {}, settings));
    // Stopped so that it holds no CPU or memory during Plinth's runs.
    await stopChild(hello.child);

    log('plinth: creating project and starting server');
    const dataDir = await makeDataDir(cleanup);
    await createProject(ROOT, dataDir);
    const plinth = await startPlinth(ROOT, dataDir, cleanup);
    const projectHeaders = { 'X-Appwrite-Project': PROJECT_ID };
    const countries = await httpGet(`${plinth.url}/v1/locale/countries`, projectHeaders, 5000);
    const total = (JSON.parse(countries.body) as { total?: number }).total;
    if (countries.status !== 200 || !total) throw new Error(`countries answered ${countries.status}: ${countries.body.slice(0, 300)}`);
    memory.pidVerified = await holdsListeningSocket(plinth.child.pid, plinth.port);
    await sleep(IDLE_MS);
    memory.plinthIdleKb = await readStatusKb(plinth.child.pid, 'VmRSS');

    log('plinth: load on /v1/health/version');
    loads.push(await runLoad('Plinth GET /v1/health/version', `${plinth.url}/v1/health/version`, {}, settings));
    log('plinth: load on /v1/locale/countries');
    loads.push(await runLoad('Plinth GET /v1/locale/countries', `${plinth.url}/v1/locale/countries`, projectHeaders, settings));
    const sessionToken = await signUpAndIn(plinth.url, PROJECT_ID);
    log('plinth: load on GET /v1/account with a session');
    loads.push(
      await runLoad('Plinth GET /v1/account (session)', `${plinth.url}/v1/account`, { ...projectHeaders, 'X-Appwrite-Session': sessionToken }, settings),
    );
    // argon2id costs ~20 ms of CPU per check by design, so this runs with fewer connections.
    log('plinth: load on POST /v1/account/sessions/email');
    loads.push(
      await runLoad(
        'Plinth POST /v1/account/sessions/email (argon2id)',
        `${plinth.url}/v1/account/sessions/email`,
        { ...projectHeaders, 'content-type': 'application/json' },
        settings,
        { method: 'POST', body: JSON.stringify(BENCH_USER), connections: 10 },
      ),
    );
    memory.plinthAfterLoadKb = await readStatusKb(plinth.child.pid, 'VmRSS');
    memory.plinthPeakKb = await readStatusKb(plinth.child.pid, 'VmHWM');

    // Documents after the memory readings above, so those stay comparable with earlier runs.
    const sqliteRun = await documentRuns('sqlite', plinth.url, dataDir, undefined, settings);
    seeding.push(sqliteRun.seeding);
    loads.push(...sqliteRun.loads);
    memory.plinthAfterDocumentsKb = await readStatusKb(plinth.child.pid, 'VmRSS');
    await stopChild(plinth.child);

    // Optional: the same document scenarios on PostgreSQL, in a database created here and dropped at the end.
    const adminUrl = process.env.PLINTH_BENCH_PG;
    if (adminUrl) {
      log(`postgres: creating a database on ${redact(adminUrl)} and starting a server on it`);
      const databaseUrl = await createBenchDatabase(adminUrl, cleanup);
      const pgDataDir = await makeDataDir(cleanup);
      await createProject(ROOT, pgDataDir, databaseUrl);
      const pgPlinth = await startPlinth(ROOT, pgDataDir, cleanup, databaseUrl);
      const pgRun = await documentRuns('postgres', pgPlinth.url, pgDataDir, databaseUrl, settings);
      seeding.push(pgRun.seeding);
      loads.push(...pgRun.loads);
      await stopChild(pgPlinth.child);
    }

    const markdown = renderMarkdown({
      date: new Date(),
      loadAtStart,
      settings,
      loads,
      coldStarts: starts,
      memory,
      countriesBytes: Buffer.byteLength(countries.body),
      seeding,
    });
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench', main);
