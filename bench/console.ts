// `npm run bench:console`: the web console on a real `plinth serve` (fresh data directory, built
// console): its download size, the sign-in page's time to interactive against the same files from a
// plain node:http server, and how soon a table of 10,000 rows shows its first page; then screenshots
// of three pages into docs/images/. BENCH_CONSOLE_RUNS (7) sets the cold loads per timing.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.js';
import { cleanupOnSignals, createCleanup, type Cleanup } from './cleanup.js';
import { measureBundle } from './console-bundle.js';
import { rowsReady, signIn, SIGN_IN_READY, timeColdLoad, timeColdLoads, type PageLoad } from './console-browser.js';
import { renderConsoleReport } from './console-report.js';
import { takeScreenshots } from './console-screenshots.js';
import { apiClient, ROWS, seedRows, seedUsers, TABLE } from './console-seed.js';
import { httpGet } from './http.js';
import { createApiKey, createProject, makeDataDir, plinthEnv, PROJECT_ID, startPlinth } from './plinth.js';
import { runNode, spawnChild, stopChild } from './processes.js';
import { resultsFile, runBench, writeResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../console/dist/', import.meta.url));
const IMAGES = fileURLToPath(new URL('../docs/images/', import.meta.url));
const STATIC_SERVER = fileURLToPath(new URL('./console-static-server.js', import.meta.url));
const RESULTS = resultsFile('console.md');
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 7);
const ADMIN = { email: 'admin@example.com', password: 'bench console password' };
/** The rows grid's page size (TableRows.svelte). */
const PAGE_SIZE = 25;

const log = (message: string) => process.stderr.write(`[bench:console] ${message}\n`);

async function cli(args: string[], dataDir: string): Promise<void> {
  await runNode(['bin/plinth.js', ...args], { cwd: ROOT, env: plinthEnv(dataDir, 0, 'warn'), timeoutMs: 60_000 });
}

/** The baseline server, answering every /v1 request as Plinth answers the signed-out session check. */
async function startStaticConsole(plinthUrl: string, cleanup: Cleanup): Promise<string> {
  const answer = await httpGet(`${plinthUrl}/v1/account`, { 'X-Appwrite-Project': 'console' }, 5000);
  if (answer.status !== 401) throw new Error(`a signed-out GET /v1/account answered ${answer.status}: ${answer.body}`);
  const env = { ...process.env, CONSOLE_DIST: DIST, ANSWER_STATUS: String(answer.status), ANSWER_BODY: answer.body };
  const child = spawnChild('console static server', [STATIC_SERVER], { cwd: ROOT, env });
  cleanup.defer(() => stopChild(child));
  return (JSON.parse(await child.waitForLine(/"url"/, 10_000)) as { url: string }).url;
}

/** The same request the grid sends for its first page, from Node with the key, timed to the whole body. */
async function timeListRows(plinthUrl: string, key: string): Promise<number[]> {
  const queries = [{ method: 'limit', values: [PAGE_SIZE] }, { method: 'offset', values: [0] }, { method: 'orderAsc', attribute: '$createdAt' }];
  const search = new URLSearchParams(queries.map((query, i): [string, string] => [`queries[${i}]`, JSON.stringify(query)])).toString();
  const url = `${plinthUrl}/v1/tablesdb/${TABLE.databaseId}/tables/${TABLE.tableId}/rows?${search}`;
  const headers = { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Key': key };
  const times: number[] = [];
  for (let run = -1; run < RUNS; run++) {
    const started = performance.now();
    const answer = await httpGet(url, headers, 10_000);
    if (answer.status !== 200) throw new Error(`listRows answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    if (run >= 0) times.push(performance.now() - started);
  }
  return times;
}

/** Cold loads of the sign-in page from Plinth and from the baseline, taking turns. */
async function timeSignIn(browser: Browser, plinthUrl: string, baselineUrl: string): Promise<{ plinth: PageLoad[]; baseline: PageLoad[] }> {
  log(`sign-in page: ${RUNS} cold loads each from Plinth and the baseline, in turns`);
  const loads = { plinth: [] as PageLoad[], baseline: [] as PageLoad[] };
  await timeColdLoad(browser, `${plinthUrl}/console/`, SIGN_IN_READY);
  await timeColdLoad(browser, `${baselineUrl}/console/`, SIGN_IN_READY);
  // Which goes first swaps each run, so neither always follows the other's context teardown.
  for (let run = 0; run < RUNS; run++) {
    const pair = [
      async () => loads.plinth.push(await timeColdLoad(browser, `${plinthUrl}/console/`, SIGN_IN_READY)),
      async () => loads.baseline.push(await timeColdLoad(browser, `${baselineUrl}/console/`, SIGN_IN_READY)),
    ];
    for (const load of run % 2 ? pair.reverse() : pair) await load();
  }
  return loads;
}

async function main(): Promise<void> {
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    const loadAtStart = loadavg()[0] ?? 0;
    log('building the console if its sources changed');
    await runNode(['scripts/build-console.js'], { cwd: ROOT, env: process.env, timeoutMs: 300_000 });
    const bundle = await measureBundle(DIST);

    log('starting plinth serve on a fresh data directory');
    const dataDir = await makeDataDir(cleanup);
    await cli(['admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--name', 'Admin'], dataDir);
    await createProject(ROOT, dataDir);
    const key = await createApiKey(ROOT, dataDir);
    const plinth = await startPlinth(ROOT, dataDir, cleanup);
    const client = apiClient(plinth.url, PROJECT_ID, key);
    log(`seeding ${ROWS.toLocaleString('en-US')} rows`);
    const seeded = await seedRows(client);
    await seedUsers(client);
    const baselineUrl = await startStaticConsole(plinth.url, cleanup);

    const browser = await launchBrowser();
    cleanup.defer(() => browser.close());
    const signInLoads = await timeSignIn(browser, plinth.url, baselineUrl);

    const storageState = await signIn(browser, `${plinth.url}/console/`, ADMIN.email, ADMIN.password);
    const rowsPath = `/console/project/${PROJECT_ID}/databases/${TABLE.databaseId}/table/${TABLE.tableId}`;
    log(`rows page: ${RUNS} cold loads signed in`);
    const rowsPage = await timeColdLoads(browser, `${plinth.url}${rowsPath}`, rowsReady(PAGE_SIZE), RUNS, { storageState });
    const apiMs = await timeListRows(plinth.url, key);

    log('screenshots');
    const screenshots = await takeScreenshots(browser, storageState, plinth.url, IMAGES, ROOT, [
      { name: 'console-project', path: `/console/project/${PROJECT_ID}`, shown: (page) => page.getByRole('heading', { level: 1, name: 'Bench' }).waitFor() },
      {
        name: 'console-rows',
        path: rowsPath,
        // Scrolled to the table's heading, so the grid rather than the project's tabs fills the picture.
        shown: async (page) => {
          await page.getByRole('navigation', { name: 'Pages of rows' }).getByText(`1–${PAGE_SIZE} of `).waitFor();
          await page.getByRole('heading', { name: 'Table Items' }).evaluate((heading) => heading.scrollIntoView());
        },
      },
      { name: 'console-users', path: `/console/project/${PROJECT_ID}/users`, shown: (page) => page.getByRole('cell', { name: 'ada.lovelace@example.com' }).waitFor() },
    ]);

    const markdown = renderConsoleReport({
      date: new Date(),
      loadAtStart,
      chromium: browser.version(),
      runs: RUNS,
      bundle,
      signIn: signInLoads,
      rows: { total: ROWS, pageSize: PAGE_SIZE, seedMs: seeded.ms, page: rowsPage, apiMs },
      screenshots,
    });
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:console', main);
