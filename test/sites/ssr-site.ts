import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Adapter, BuildRuntime, type Framework, ID, type Models, Query, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { packSsrApp } from './site-packages.js';
import type { SsrApp } from './ssr-apps.js';

export async function waitForBuild(sites: Sites, siteId: string, deploymentId: string): Promise<Models.Deployment> {
  for (let attempt = 0; attempt < 6000; attempt++) {
    const deployment = await sites.getDeployment({ siteId, deploymentId });
    if (!['waiting', 'processing', 'building'].includes(deployment.status)) return deployment;
    await delay(100);
  }
  throw new Error(`deployment ${deploymentId} still building`);
}

/**
 * Creates a server-rendered site with the framework's defaults and a GREETING variable, deploys the
 * app (its packages in the archive, so no install step) and waits for it to be live.
 */
export async function deploySsrSite(sites: Sites, siteId: string, framework: Framework, app: SsrApp): Promise<void> {
  await sites.create({ siteId, name: siteId, framework, adapter: Adapter.Ssr, buildRuntime: BuildRuntime.Node200, installCommand: '' });
  await sites.createVariable({ siteId, variableId: ID.unique(), key: 'GREETING', value: 'Hello from the server' });
  const created = await sites.createDeployment({ siteId, code: InputFile.fromBuffer(await packSsrApp(app), 'code.tar.gz'), activate: true });
  const deployment = await waitForBuild(sites, siteId, created.$id);
  assert.equal(deployment.status, 'ready', deployment.buildLogs);
}

/** A server-rendered site's test setup: a server with one project, the app deployed live, and a browser. */
export interface OpenedSsrSite {
  server: TestServer;
  sites: Sites;
  browser: Browser;
  close(): Promise<void>;
}

export async function openSsrSite(options: { project: string; siteId: string; framework: Framework; app: SsrApp; env?: Record<string, string> }): Promise<OpenedSsrSite> {
  const server = await TestServer.start({ env: options.env ?? {} });
  await server.createProject(options.project);
  const sites = new Sites(sdkClient(server, options.project, await server.createKey(options.project)));
  await deploySsrSite(sites, options.siteId, options.framework, options.app);
  const browser = await launchBrowser();
  return { server, sites, browser, close: async () => { await browser.close(); await server.stop(); } };
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
