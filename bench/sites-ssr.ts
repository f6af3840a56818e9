// The server-rendered part of `npm run bench:sites`: the tests' SvelteKit app (adapter-node) deployed
// as an ssr site, its cold start (deployment ready → first 200), then its server-rendered page
// through Plinth beside the same build's `node build/index.js` run directly, measured in turns.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Framework, Sites } from 'node-appwrite';
import { SVELTEKIT_APP } from '../test/sites/ssr-apps.js';
import { deploySsrSite } from '../test/sites/ssr-site.js';
import type { Cleanup } from './cleanup.js';
import { httpGet, waitForOk } from './http.js';
import { runLoad, type LoadResult, type LoadSettings } from './load.js';
import { PROJECT_ID, type RunningPlinth } from './plinth.js';
import { pickFreePort, spawnChild, stopChild } from './processes.js';
import { runInTurns } from './turns.js';

const SITE_ID = 'bench-ssr';
const SITE_HOST = `${SITE_ID}.sites.localhost`;
/** What deploySsrSite sets as the site's GREETING; the direct server gets the same. */
const GREETING = 'Hello from the server';

export interface SsrResults {
  coldStartMs: number;
  direct: LoadResult;
  plinth: LoadResult;
  plinthUnlogged: LoadResult;
}

/** The deployment's built tree as Plinth unpacked it on this node (there once it has served). */
function outputDirOf(dataDir: string, deploymentId: string): string {
  const dir = join(dataDir, 'sites', PROJECT_ID, SITE_ID, deploymentId, 'output');
  if (!existsSync(join(dir, 'build', 'index.js'))) throw new Error(`no build/index.js under ${dir}`);
  return dir;
}

/** The same build's own Node server, as its framework documents running it. */
async function startDirectServer(cleanup: Cleanup, outputDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await pickFreePort();
  const env = { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), GREETING };
  const child = spawnChild('node build/index.js', ['build/index.js'], { cwd: outputDir, env });
  cleanup.defer(() => stopChild(child));
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(child, `${url}/`, {}, 30_000);
  return { url, stop: () => stopChild(child) };
}

export async function benchSsrSite(plinth: RunningPlinth, key: string, dataDir: string, cleanup: Cleanup, settings: LoadSettings, log: (message: string) => void): Promise<SsrResults> {
  const sites = new Sites(new Client().setEndpoint(`${plinth.url}/v1`).setProject(PROJECT_ID).setKey(key));
  log('ssr: SvelteKit site, build and deployment');
  await deploySsrSite(sites, SITE_ID, Framework.Sveltekit, SVELTEKIT_APP);
  const host = { host: SITE_HOST };
  const ready = performance.now();
  const first = await httpGet(`${plinth.url}/`, host, 60_000);
  const coldStartMs = performance.now() - ready;
  if (first.status !== 200 || !first.body.includes(GREETING)) throw new Error(`the first SSR answer was ${first.status}: ${first.body.slice(0, 500)}`);

  const { deploymentId } = await sites.get({ siteId: SITE_ID });
  const direct = await startDirectServer(cleanup, outputDirOf(dataDir, deploymentId));
  const setLogging = (logging: boolean) => sites.update({ siteId: SITE_ID, name: SITE_ID, framework: Framework.Sveltekit, logging });
  log('ssr: page, 3 rounds');
  const results = await runInTurns({
    direct: () => runLoad('node build/index.js: SSR page', `${direct.url}/`, {}, settings),
    plinth: async () => {
      await setLogging(true);
      return runLoad('ssr site: SSR page', `${plinth.url}/`, host, settings);
    },
    plinthUnlogged: async () => {
      await setLogging(false);
      return runLoad('ssr site: SSR page, logging off', `${plinth.url}/`, host, settings);
    },
  });
  await direct.stop();
  return { coldStartMs, ...results };
}
