import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Adapter, BuildRuntime, DeploymentDownloadType, Framework, Query, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { TestServer } from '../support/plinth.js';
import { rawRequest } from '../functions/deploy.js';
import { ASTRO_APP } from './ssr-apps.js';
import { expectSsrDefaults, newestLog, openSsrSite, type OpenedSsrSite, ssrProcessesEnd, ssrProcessesOf, storedOutputPaths, waitForBuild } from './ssr-site.js';

const PROJECT = 'ssr-astro';
const SITE = 'stars';
const HOST = `${SITE}.sites.localhost`;

describe('a server-rendered Astro site', () => {
  let server: TestServer;
  let sites: Sites;
  let opened: OpenedSsrSite;

  before(async () => {
    opened = await openSsrSite({ project: PROJECT, siteId: SITE, framework: Framework.Astro, app: ASTRO_APP, env: { ASTRO_TELEMETRY_DISABLED: '1' } });
    ({ server, sites } = opened);
  });
  after(() => opened?.close());

  test('the framework list offers ssr for Astro, and the site takes its start command', async () => {
    await expectSsrDefaults(opened, 'astro', { outputDirectory: './dist', startCommand: 'node dist/server/entry.mjs' });
  });

  test('the page is rendered on the server with a site variable and the query, and its script runs in Chromium', async () => {
    await opened.visit('/?q=stars', async (page) => {
      assert.equal(await page.textContent('#greeting'), 'Hello from the server');
      assert.equal(await page.textContent('#query'), 'stars');
      // The page's script is a file of the build's client output, served by Plinth.
      await page.waitForSelector('#greeting[data-ready="yes"]');
    });
    const log = await newestLog(sites, SITE, '/?q=stars');
    assert.equal(log.responseStatusCode, 200);
    assert.match(log.logs, /rendering the astro page/);
    const { total } = await sites.listLogs({ siteId: SITE, queries: [Query.startsWith('requestPath', '/_astro/')] });
    assert.equal(total, 0, 'client files never reach the server');
  });

  test('the stored output is dist, package.json and the production packages the server imports, without the sources', async () => {
    const { paths } = await storedOutputPaths(sites, SITE);
    for (const kept of ['dist/server/entry.mjs', 'dist/client', 'package.json', 'node_modules/astro/package.json', 'node_modules/@astrojs/node/package.json']) assert.ok(paths.has(kept), kept);
    for (const dropped of ['src', 'astro.config.mjs', 'node_modules/.bin']) assert.ok(![...paths].some((path) => path === dropped || path.startsWith(`${dropped}/`)), dropped);
  });

  test("an unknown page is the server's own 404", async () => {
    const missing = await rawRequest(server.endpoint, HOST, '/nowhere');
    assert.equal(missing.status, 404);
    assert.equal((await newestLog(sites, SITE, '/nowhere')).responseStatusCode, 404);
  });

  test("a replaced or deleted deployment's server stops at once; its preview host starts one again", async () => {
    const first = (await sites.get({ siteId: SITE })).deploymentId;
    assert.equal((await rawRequest(server.endpoint, HOST, '/')).status, 200);
    assert.ok(ssrProcessesOf(first).length > 0, 'the live deployment has a server');

    // A second deployment of the same built tree, with nothing left to build.
    const built = await sites.getDeploymentDownload({ siteId: SITE, deploymentId: first, type: DeploymentDownloadType.Output });
    await sites.update({ siteId: SITE, name: SITE, framework: Framework.Astro, adapter: Adapter.Ssr, buildRuntime: BuildRuntime.Node200, installCommand: '', buildCommand: '' });
    const created = await sites.createDeployment({ siteId: SITE, code: InputFile.fromBuffer(Buffer.from(built), 'built.tar.gz'), activate: false });
    const second = await waitForBuild(sites, SITE, created.$id);
    assert.equal(second.status, 'ready', second.buildLogs);

    await sites.updateSiteDeployment({ siteId: SITE, deploymentId: second.$id });
    // Idle stop is minutes away: only the switch itself ends the old server.
    await ssrProcessesEnd(first);
    assert.equal((await rawRequest(server.endpoint, HOST, '/')).status, 200);
    assert.ok(ssrProcessesOf(second.$id).length > 0);

    const preview = `${first}-${SITE}.sites.localhost`;
    const page = await rawRequest(server.endpoint, preview, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /Hello from the server/);
    assert.ok(ssrProcessesOf(first).length > 0, 'the preview host runs the old deployment again');

    await sites.deleteDeployment({ siteId: SITE, deploymentId: first });
    await ssrProcessesEnd(first);
    assert.ok(ssrProcessesOf(second.$id).length > 0, 'the live server keeps running');
  });

  test("a deployment that goes live when its build ends stops the previous deployment's server", async () => {
    const live = (await sites.get({ siteId: SITE })).deploymentId;
    assert.equal((await rawRequest(server.endpoint, HOST, '/')).status, 200);
    assert.ok(ssrProcessesOf(live).length > 0, 'the live deployment has a server');

    const built = await sites.getDeploymentDownload({ siteId: SITE, deploymentId: live, type: DeploymentDownloadType.Output });
    const created = await sites.createDeployment({ siteId: SITE, code: InputFile.fromBuffer(Buffer.from(built), 'built.tar.gz'), activate: true });
    const next = await waitForBuild(sites, SITE, created.$id);
    assert.equal(next.status, 'ready', next.buildLogs);
    assert.equal((await sites.get({ siteId: SITE })).deploymentId, next.$id);
    await ssrProcessesEnd(live);
    const page = await rawRequest(server.endpoint, HOST, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /Hello from the server/);
    assert.ok(ssrProcessesOf(next.$id).length > 0, 'the new deployment serves');
  });
});
