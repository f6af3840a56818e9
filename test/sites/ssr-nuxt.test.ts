import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Framework, Query, Sites } from 'node-appwrite';
import type { Browser } from 'playwright-core';
import { collectProblems } from '../support/console-ui.js';
import { TestServer } from '../support/plinth.js';
import { rawRequest } from '../functions/deploy.js';
import { NUXT_APP } from './ssr-apps.js';
import { newestLog, openSsrSite, type OpenedSsrSite } from './ssr-site.js';

const PROJECT = 'ssr-nuxt';
const SITE = 'nuxt';
const HOST = `${SITE}.sites.localhost`;

describe('a server-rendered Nuxt site', () => {
  let server: TestServer;
  let sites: Sites;
  let browser: Browser;
  let opened: OpenedSsrSite | undefined;

  before(async () => {
    // Nuxt with its packages is larger than the default deployment limit.
    opened = await openSsrSite({ project: PROJECT, siteId: SITE, framework: Framework.Nuxt, app: NUXT_APP, env: { PLINTH_COMPUTE_SIZE_LIMIT: String(120 * 1024 * 1024), NUXT_TELEMETRY_DISABLED: '1' } });
    ({ server, sites, browser } = opened);
  });
  after(() => opened?.close());

  test("the framework list offers ssr for Nuxt with Appwrite's defaults, and the site takes its start command", async () => {
    const { frameworks } = await sites.listFrameworks();
    const nuxt = frameworks.find((framework) => framework.key === 'nuxt');
    assert.deepEqual(nuxt?.adapters.map((adapter) => adapter.key), ['static', 'ssr']);
    const ssr = nuxt?.adapters[1];
    assert.deepEqual([ssr?.installCommand, ssr?.buildCommand, ssr?.outputDirectory], ['npm install', 'npm run build', './.output']);
    const site = await sites.get({ siteId: SITE });
    assert.equal(site.startCommand, 'node .output/server/index.mjs');
    assert.equal(site.outputDirectory, './.output');
  });

  test('the page is rendered on the server from a site variable and comes alive in Chromium', async () => {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    try {
      await page.goto(`http://${HOST}:${new URL(server.endpoint).port}/`);
      assert.equal(await page.textContent('#greeting'), 'Hello from the server');
      // Hydrated by the build's client scripts, which Plinth served from .output/public.
      await page.waitForSelector('#counter[data-hydrated="true"]');
      await page.click('#counter');
      await page.waitForSelector('text=clicked 1');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
    const log = await newestLog(sites, SITE, '/');
    assert.equal(log.responseStatusCode, 200);
    assert.match(log.logs, /reading the greeting/);
  });

  test('the server-rendered HTML carries the greeting, and its client files never reach the server', async () => {
    const html = await rawRequest(server.endpoint, HOST, '/');
    assert.equal(html.status, 200);
    assert.match(html.body, /<h1 id="greeting">Hello from the server<\/h1>/);
    const script = /\/_nuxt\/[^"']+\.js/.exec(html.body)?.[0];
    assert.ok(script, 'the page names its scripts');
    const asset = await rawRequest(server.endpoint, HOST, script);
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    const { total } = await sites.listLogs({ siteId: SITE, queries: [Query.startsWith('requestPath', '/_nuxt/')] });
    assert.equal(total, 0);
  });

  test('an API route answers JSON from the server', async () => {
    const api = await rawRequest(server.endpoint, HOST, '/api/greeting');
    assert.equal(api.status, 200);
    assert.match(String(api.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(api.body), { greeting: 'Hello from the server' });
  });
});
