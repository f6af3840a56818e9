// `npm run bench:sites`: a static site's small page and a hashed 200 KB asset served by Plinth on
// the site's host, against node:http + serve-static serving the same files in the same run.
// Requests per second and p99 for each, the median of three runs taken in turns so that both
// servers meet the same machine; BENCH_DURATION (10) sets the seconds per run. Then a
// server-rendered site against its framework's own server (bench/sites-ssr.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Framework, BuildRuntime, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import * as tar from 'tar';
import { cleanupOnSignals, createCleanup, type Cleanup } from './cleanup.js';
import { sleep } from './http.js';
import { readLoadSettings, runLoad, type LoadResult } from './load.js';
import { createApiKey, createProject, makeDataDir, PROJECT_ID, startPlinth } from './plinth.js';
import { spawnChild, stopChild } from './processes.js';
import { resultsFile, runBench, writeResults } from './results.js';
import { benchSsrSite } from './sites-ssr.js';
import { resultRow as row, ROUNDS, runInTurns } from './turns.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('sites.md');
const STATIC_SERVER = fileURLToPath(new URL('./static-server.js', import.meta.url));
const SITE_ID = 'bench-site';
const SITE_HOST = `${SITE_ID}.sites.localhost`;
const PAGE = '/';
const ASSET = '/assets/app-5c1e9a7b.js';
const ASSET_BYTES = 200 * 1024;

const log = (message: string) => process.stderr.write(`[bench:sites] ${message}\n`);

/** A page of about 1 KB and a script of 200 KB, as a build's output would hold them. */
async function writeSiteFiles(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  const items = Array.from({ length: 12 }, (_, i) => `<li><a href="/items/${i}">Item ${i}</a></li>`).join('');
  await writeFile(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title><script type="module" src="${ASSET}"></script></head><body><h1>Bench site</h1><ul>${items}</ul></body></html>`);
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < ASSET_BYTES; i++) {
    const line = `export const value${i} = ${(i * 2654435761) % 4294967296} ^ ${i * 31};\n`;
    lines.push(line);
    size += line.length;
  }
  await writeFile(join(dir, ASSET.slice(1)), lines.join('').slice(0, ASSET_BYTES));
}

/** Creates the site and deploys the files as its live deployment (no build command: the output is the upload). */
async function deploySite(url: string, key: string, sourceDir: string): Promise<void> {
  const sites = new Sites(new Client().setEndpoint(`${url}/v1`).setProject(PROJECT_ID).setKey(key));
  await sites.create({ siteId: SITE_ID, name: 'Bench', framework: Framework.Other, buildRuntime: BuildRuntime.Node200, installCommand: '', buildCommand: '', outputDirectory: './dist' });
  const archive = join(sourceDir, '..', 'code.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: sourceDir }, ['dist']);
  const created = await sites.createDeployment({ siteId: SITE_ID, code: InputFile.fromPath(archive, 'code.tar.gz'), activate: true });
  for (;;) {
    const deployment = await sites.getDeployment({ siteId: SITE_ID, deploymentId: created.$id });
    if (deployment.status === 'ready') return;
    if (deployment.status === 'failed' || deployment.status === 'canceled') throw new Error(`the deployment ${deployment.status}: ${deployment.buildLogs}`);
    await sleep(50);
  }
}

async function startStaticServer(cleanup: Cleanup, root: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawnChild('static-server', [STATIC_SERVER], { cwd: ROOT, env: { ...process.env, PORT: '0', STATIC_ROOT: root } });
  cleanup.defer(() => stopChild(child));
  const { url } = JSON.parse(await child.waitForLine(/"url"/, 10_000)) as { url: string };
  return { url, stop: () => stopChild(child) };
}

async function main(): Promise<void> {
  const settings = readLoadSettings(process.env);
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    const dataDir = await makeDataDir(cleanup);
    const sourceDir = join(dataDir, 'bench-source');
    await writeSiteFiles(join(sourceDir, 'dist'));

    log('plinth: project, site and its deployment');
    await createProject(ROOT, dataDir);
    const key = await createApiKey(ROOT, dataDir);
    const plinth = await startPlinth(ROOT, dataDir, cleanup);
    await deploySite(plinth.url, key, sourceDir);
    log('plain server: node:http + serve-static');
    // Both stay up; an idle server takes no CPU from the one under load.
    const plain = await startStaticServer(cleanup, join(sourceDir, 'dist'));
    const host = { host: SITE_HOST };
    log(`small page, ${ROUNDS} rounds`);
    const { plainPage, sitePage } = await runInTurns({
      plainPage: () => runLoad('serve-static: small page', `${plain.url}${PAGE}`, {}, settings),
      sitePage: () => runLoad('site: small page', `${plinth.url}${PAGE}`, host, settings),
    });
    log(`200 KB asset, ${ROUNDS} rounds`);
    const { plainAsset, siteAsset, siteAssetBr } = await runInTurns({
      plainAsset: () => runLoad('serve-static: 200 KB hashed asset', `${plain.url}${ASSET}`, {}, settings),
      siteAsset: () => runLoad('site: 200 KB hashed asset', `${plinth.url}${ASSET}`, host, settings),
      siteAssetBr: () => runLoad('site: 200 KB hashed asset, brotli', `${plinth.url}${ASSET}`, { ...host, 'accept-encoding': 'br' }, settings),
    });
    await plain.stop();
    const ssr = await benchSsrSite(plinth, key, dataDir, cleanup, settings, log);

    const ratio = (site: LoadResult, base: LoadResult) => (site.reqPerSec / base.reqPerSec).toFixed(2);
    const lines = [
      '# Static sites',
      '',
      `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; ${settings.connections} connections, ${settings.durationSeconds} s per run after ${settings.warmupSeconds} s of warm-up, the median of ${ROUNDS} runs taken in turns, load and servers on one machine (load average ${loadavg()[0]?.toFixed(1)} at the end). Plinth on SQLite answers on the site's host (\`${SITE_HOST}\`); serve-static serves the same files from a folder with node:http. Without \`Accept-Encoding\` unless said.`,
      '',
      '| scenario | requests/s | p99 ms | failed |',
      '|---|---:|---:|---:|',
      row(plainPage),
      row(sitePage),
      row(plainAsset),
      row(siteAsset),
      row(siteAssetBr),
      '',
      `Small page: ${ratio(sitePage, plainPage)}× serve-static. 200 KB asset: ${ratio(siteAsset, plainAsset)}× serve-static.`,
      '',
      '## Server-rendered site',
      '',
      `The SvelteKit app of the tests (adapter-node) deployed as an \`ssr\` site, built in the functions sandbox; its page is rendered on each request from a site variable. Plinth proxies it to the build's own server in the sandbox (its warm process), beside the same build's \`node build/index.js\` run directly, taken in turns the same way. Site logs on (the default: one log row per request, with the server's output) and off.`,
      '',
      '| scenario | requests/s | p99 ms | failed |',
      '|---|---:|---:|---:|',
      row(ssr.direct),
      row(ssr.plinth),
      row(ssr.plinthUnlogged),
      '',
      `SSR page: ${ratio(ssr.plinth, ssr.direct)}× the direct server (${ratio(ssr.plinthUnlogged, ssr.direct)}× with logging off). Cold start, from the deployment seen ready to the first 200: ${Math.round(ssr.coldStartMs)} ms.`,
      '',
    ];
    await writeResults(RESULTS, lines.join('\n'));
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:sites', main);
