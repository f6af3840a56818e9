import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Adapter, BuildRuntime, DeploymentDownloadType, type Framework, ID, type Models, Query, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { Browser, Page } from 'playwright-core';
import * as tar from 'tar';
import { rawRequest } from '../functions/deploy.js';
import { collectProblems } from '../support/console-ui.js';
import { launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { packSsrApp } from './site-packages.js';
import type { SsrApp } from './ssr-apps.js';

type RawResponse = Awaited<ReturnType<typeof rawRequest>>;

export async function waitForBuild(sites: Sites, siteId: string, deploymentId: string): Promise<Models.Deployment> {
  for (let attempt = 0; attempt < 6000; attempt++) {
    const deployment = await sites.getDeployment({ siteId, deploymentId });
    if (!['waiting', 'processing', 'building'].includes(deployment.status)) return deployment;
    await delay(100);
  }
  throw new Error(`deployment ${deploymentId} still building`);
}

/**
 * Where one run of the whole check keeps what Plinth's sandbox built from an app's sources, by the
 * sources' key (PLINTH_TEST_SITE_BUILDS, a folder `.ci/run` makes for the run and removes after it).
 * The build cannot differ between the engines: the first pass builds in the sandbox, a later pass
 * deploys that output with nothing left to build, through the same deployment and serving path.
 */
function sandboxBuildOf(key: string): string | undefined {
  const dir = process.env.PLINTH_TEST_SITE_BUILDS;
  return dir ? join(dir, `${key}.tar.gz`) : undefined;
}

/**
 * Creates a server-rendered site with the framework's defaults and a GREETING variable, deploys the
 * app (its packages in the archive, so no install step; a pre-built app with no build step either)
 * and waits for it to be live.
 */
export async function deploySsrSite(sites: Sites, siteId: string, framework: Framework, app: SsrApp): Promise<void> {
  const packed = await packSsrApp(app);
  const kept = app.prebuilt ? undefined : sandboxBuildOf(packed.key);
  const builtEarlier = kept !== undefined && existsSync(kept);
  await sites.create({ siteId, name: siteId, framework, adapter: Adapter.Ssr, buildRuntime: BuildRuntime.Node200, installCommand: '', ...(app.prebuilt || builtEarlier ? { buildCommand: '' } : {}) });
  await sites.createVariable({ siteId, variableId: ID.unique(), key: 'GREETING', value: 'Hello from the server' });
  const code = builtEarlier ? await readFile(kept) : packed.archive;
  const created = await sites.createDeployment({ siteId, code: InputFile.fromBuffer(code, 'code.tar.gz'), activate: true });
  const deployment = await waitForBuild(sites, siteId, created.$id);
  assert.equal(deployment.status, 'ready', deployment.buildLogs);
  if (kept !== undefined && !builtEarlier) {
    const output = await sites.getDeploymentDownload({ siteId, deploymentId: deployment.$id, type: DeploymentDownloadType.Output });
    // Written beside and renamed into place, so a later pass never reads half an archive.
    const staging = `${kept}.${process.pid}`;
    await writeFile(staging, Buffer.from(output));
    await rename(staging, kept);
  }
}

/**
 * Waits for the site's home page to answer 200 once. On a loaded machine a framework's server may
 * take longer than the sandbox's start limit to listen (the first request then gets Plinth's error
 * page and the next starts it again); the tests check pages, and bench:sites measures cold starts.
 */
async function untilServed(server: TestServer, host: string): Promise<void> {
  let status = 0;
  for (let attempt = 0; attempt < 5 && status !== 200; attempt++) status = (await rawRequest(server.endpoint, host, '/')).status;
  assert.equal(status, 200, `${host} never served its home page`);
}

/** A server-rendered site's test setup: a server with one project, the app deployed live, and a browser. */
export interface OpenedSsrSite {
  server: TestServer;
  sites: Sites;
  browser: Browser;
  siteId: string;
  /** The site's host name, as visitors reach it. */
  host: string;
  /** Opens `path` of the site in Chromium, runs `check` on the page, and asserts it had no page or console error. */
  visit(path: string, check: (page: Page) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function openSsrSite(options: { project: string; siteId: string; framework: Framework; app: SsrApp; env?: Record<string, string> }): Promise<OpenedSsrSite> {
  const server = await TestServer.start({ env: options.env ?? {} });
  await server.createProject(options.project);
  const sites = new Sites(sdkClient(server, options.project, await server.createKey(options.project)));
  await deploySsrSite(sites, options.siteId, options.framework, options.app);
  const host = `${options.siteId}.sites.localhost`;
  await untilServed(server, host);
  const browser = await launchBrowser();
  const visit = async (path: string, check: (page: Page) => Promise<void>) => {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    try {
      await page.goto(`http://${host}:${new URL(server.endpoint).port}${path}`);
      await check(page);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  };
  return { server, sites, browser, siteId: options.siteId, host, visit, close: async () => { await browser.close(); await server.stop(); } };
}

/** The framework list offers `static` and `ssr` for the framework, and the site took the ssr defaults. */
export async function expectSsrDefaults(site: OpenedSsrSite, framework: string, expected: { outputDirectory: string; startCommand: string }): Promise<void> {
  const { frameworks } = await site.sites.listFrameworks();
  const listed = frameworks.find((candidate) => candidate.key === framework);
  assert.deepEqual(listed?.adapters.map((adapter) => adapter.key), ['static', 'ssr']);
  assert.equal(listed?.adapters[1]?.outputDirectory, expected.outputDirectory);
  const created = await site.sites.get({ siteId: site.siteId });
  assert.equal(created.startCommand, expected.startCommand);
  assert.equal(created.outputDirectory, expected.outputDirectory);
}

/**
 * The page shows the server's greeting, then its counter button hydrates (by the build's client
 * scripts, which Plinth served; a click before that does nothing) and counts a click.
 */
export async function expectGreetingThatHydrates(page: Page): Promise<void> {
  assert.equal(await page.textContent('#greeting'), 'Hello from the server');
  await page.waitForSelector('#counter[data-hydrated="true"]');
  await page.click('#counter');
  await page.waitForSelector('text=clicked 1');
}

/**
 * The server-rendered home page names a script matching `script`, which Plinth serves from the
 * build as JavaScript without reaching the site's server: no request under `prefix` is logged.
 * Resolves the HTML and the script's answer.
 */
export async function expectClientScriptServed(site: OpenedSsrSite, script: RegExp, prefix: string): Promise<{ html: RawResponse; asset: RawResponse }> {
  const html = await rawRequest(site.server.endpoint, site.host, '/');
  assert.equal(html.status, 200);
  assert.match(html.body, /Hello from the server/);
  const path = script.exec(html.body)?.[0];
  assert.ok(path, 'the page names its scripts');
  const asset = await rawRequest(site.server.endpoint, site.host, path);
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['content-type']), /javascript/);
  const { total } = await site.sites.listLogs({ siteId: site.siteId, queries: [Query.startsWith('requestPath', prefix)] });
  assert.equal(total, 0);
  return { html, asset };
}

/** The site's latest log of a request to `path` (path and query); it is written just after the answer went out. */
export async function newestLog(sites: Sites, siteId: string, path: string): Promise<Models.Execution> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { executions } = await sites.listLogs({ siteId, queries: [Query.equal('requestPath', path), Query.orderDesc('$createdAt'), Query.orderDesc('$id'), Query.limit(1)] });
    if (executions[0]) return executions[0];
    await delay(50);
  }
  assert.fail(`no log of ${path}`);
}

/** The paths the stored output of the site's live deployment holds, as its download lists them (`./` left off). */
export async function storedOutputPaths(sites: Sites, siteId: string): Promise<{ deployment: Models.Deployment; paths: Set<string> }> {
  const deploymentId = (await sites.get({ siteId })).deploymentId;
  const output = await sites.getDeploymentDownload({ siteId, deploymentId, type: DeploymentDownloadType.Output });
  const paths = new Set<string>();
  await pipeline(Readable.from([Buffer.from(output)]), tar.t({ onReadEntry: (entry) => paths.add(entry.path.replace(/^\.\//, '').replace(/\/$/, '')) }));
  return { deployment: await sites.getDeployment({ siteId, deploymentId }), paths };
}

/** Process ids on this machine running a server of the deployment (its relay carries the id in its environment). */
export function ssrProcessesOf(deploymentId: string): number[] {
  const marker = `APPWRITE_SITE_DEPLOYMENT=${deploymentId}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.push(Number(entry));
    } catch {
      // It ended meanwhile, or is not ours to read.
    }
  }
  return pids;
}

/** Waits for the deployment's server processes to end (they are killed, then take a moment to exit). */
export async function ssrProcessesEnd(deploymentId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (ssrProcessesOf(deploymentId).length === 0) return;
    await delay(50);
  }
  assert.fail(`the servers of deployment ${deploymentId} still run`);
}
