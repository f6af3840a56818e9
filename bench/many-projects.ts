// `npm run bench:projects`: BENCH_PROJECTS (1000) projects seeded through the services, then
// `plinth serve` from cold on them: spawn to listening, to the first health answer and to the
// first answer of a project (its key lists its users); open descriptors at that moment and
// after every project answered once. SQLite always; PostgreSQL too when PLINTH_BENCH_PG is set.
// BENCH_PLINTH_ROOT serves from another checkout on the same seeded store, to compare versions.
import { fileURLToPath } from 'node:url';
import { seedProjects, type SeededProject } from '../test/support/seed-projects.js';
import { cleanupOnSignals, createCleanup, type Cleanup } from './cleanup.js';
import { httpGet } from './http.js';
import { makeDataDir, measureColdStart, plinthEnv, type ColdStart } from './plinth.js';
import { redact, createBenchDatabase } from './postgres.js';
import { countOpenFiles } from './proc.js';
import { spawnChild, stopChild } from './processes.js';
import { resultsFile, saveResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('many-projects.md');
const READY_TIMEOUT_MS = 120_000;
const CONCURRENCY = 8;

const log = (message: string) => process.stderr.write(`[bench:projects] ${message}\n`);

interface EngineRun {
  engine: string;
  seedSeconds: number;
  listenMs: number;
  firstHealthMs: number;
  firstProjectMs: number;
  descriptorsAtFirstAnswer: number | undefined;
  everyProjectSeconds: number;
  descriptorsAfterAll: number | undefined;
  failures: number;
}

function readCount(): number {
  const raw = process.env.BENCH_PROJECTS;
  if (!raw) return 1000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new Error(`BENCH_PROJECTS must be a whole number from 1 to 100000, got "${raw}"`);
  return value;
}

const listUsers = (url: string, project: SeededProject) =>
  httpGet(`${url}/v1/users`, { 'x-appwrite-project': project.id, 'x-appwrite-key': project.key }, 30_000);

async function runEngine(engine: string, count: number, serverRoot: string, cleanup: Cleanup, databaseUrl?: string): Promise<EngineRun> {
  const dataDir = await makeDataDir(cleanup);
  const env = { ...plinthEnv(dataDir, 0, 'info', databaseUrl), PLINTH_RATE_LIMITS: 'off' };
  log(`${engine}: seeding ${count} projects`);
  let started = performance.now();
  const projects = await seedProjects(env, count, 'bench');
  const seedSeconds = (performance.now() - started) / 1000;

  log(`${engine}: starting the server from ${serverRoot}`);
  started = performance.now();
  const child = spawnChild(`plinth serve (${engine})`, ['bin/plinth.js', 'serve'], { cwd: serverRoot, env });
  cleanup.defer(() => stopChild(child));
  try {
    const line = await child.waitForLine(/Plinth is listening/, READY_TIMEOUT_MS);
    const listenMs = performance.now() - started;
    const { url } = JSON.parse(line) as { url: string };
    const health = await httpGet(`${url}/v1/health/version`, {}, 30_000);
    const firstHealthMs = performance.now() - started;
    if (health.status !== 200) throw new Error(`health answered ${health.status}: ${health.body}`);
    const first = await listUsers(url, projects[0]!);
    const firstProjectMs = performance.now() - started;
    if (first.status !== 200) throw new Error(`the first project answered ${first.status}: ${first.body}`);
    const descriptorsAtFirstAnswer = await countOpenFiles(child.pid);

    log(`${engine}: every project once, ${CONCURRENCY} at a time`);
    let failures = 0;
    let next = 0;
    started = performance.now();
    const lane = async () => {
      for (let index = next++; index < projects.length; index = next++) {
        if ((await listUsers(url, projects[index]!)).status !== 200) failures++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const everyProjectSeconds = (performance.now() - started) / 1000;
    const descriptorsAfterAll = await countOpenFiles(child.pid);
    return { engine, seedSeconds, listenMs, firstHealthMs, firstProjectMs, descriptorsAtFirstAnswer, everyProjectSeconds, descriptorsAfterAll, failures };
  } finally {
    await stopChild(child);
  }
}

function renderMarkdown(count: number, serverRoot: string, empty: ColdStart, runs: EngineRun[]): string {
  const ms = (value: number) => `${Math.round(value)} ms`;
  const fds = (value: number | undefined) => (value === undefined ? 'n/a' : String(value));
  return [
    '# Many projects on one server',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${count} projects (a key each), server from \`${serverRoot === ROOT ? 'this checkout' : serverRoot}\`, PLINTH_SQLITE_OPEN_PROJECTS ${process.env.PLINTH_SQLITE_OPEN_PROJECTS || 'unset (256)'}.`,
    '',
    '| Engine | Seeding | Spawn → listening | → first health answer | → first project answer | Descriptors then | Every project once | Descriptors after | Failures |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (run) =>
        `| ${run.engine} | ${run.seedSeconds.toFixed(1)} s | ${ms(run.listenMs)} | ${ms(run.firstHealthMs)} | ${ms(run.firstProjectMs)} | ${fds(run.descriptorsAtFirstAnswer)} | ${run.everyProjectSeconds.toFixed(1)} s | ${fds(run.descriptorsAfterAll)} | ${run.failures} |`,
    ),
    '',
    `For reference, the same server on an empty SQLite store in the same run: listening after ${ms(empty.listenMs)}, first health answer after ${ms(empty.firstAnswerMs)}.`,
    '',
  ].join('\n');
}

const cleanup = createCleanup();
cleanupOnSignals(cleanup);
try {
  const count = readCount();
  const serverRoot = process.env.BENCH_PLINTH_ROOT || ROOT;
  const empty = await measureColdStart(serverRoot, cleanup);
  const runs = [await runEngine('sqlite', count, serverRoot, cleanup)];
  const adminUrl = process.env.PLINTH_BENCH_PG;
  if (adminUrl) {
    log(`postgres: a fresh database on ${redact(adminUrl)}`);
    runs.push(await runEngine('postgres', count, serverRoot, cleanup, await createBenchDatabase(adminUrl, cleanup)));
  }
  const markdown = renderMarkdown(count, serverRoot, empty, runs);
  await saveResults(RESULTS, markdown);
  process.stdout.write(markdown);
} finally {
  await cleanup.run();
}
