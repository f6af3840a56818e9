import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Framework } from 'node-appwrite';
import { rawRequest } from '../functions/deploy.js';
import { NUXT_APP } from './ssr-apps.js';
import { expectClientScriptServed, expectGreetingThatHydrates, expectSsrDefaults, newestLog, openSsrSite, type OpenedSsrSite } from './ssr-site.js';

describe('a server-rendered Nuxt site', () => {
  let site: OpenedSsrSite;

  before(async () => {
    site = await openSsrSite({ project: 'ssr-nuxt', siteId: 'nuxt', framework: Framework.Nuxt, app: NUXT_APP });
  });
  after(() => site?.close());

  test("the framework list offers ssr for Nuxt with Appwrite's defaults, and the site takes its start command", async () => {
    await expectSsrDefaults(site, 'nuxt', { outputDirectory: './.output', startCommand: 'node .output/server/index.mjs' });
    const { frameworks } = await site.sites.listFrameworks();
    const ssr = frameworks.find((framework) => framework.key === 'nuxt')?.adapters[1];
    assert.deepEqual([ssr?.installCommand, ssr?.buildCommand], ['npm install', 'npm run build']);
  });

  test('the page is rendered on the server from a site variable and comes alive in Chromium', async () => {
    await site.visit('/', expectGreetingThatHydrates);
    const log = await newestLog(site.sites, site.siteId, '/');
    assert.equal(log.responseStatusCode, 200);
    assert.match(log.logs, /reading the greeting/);
  });

  test('the server-rendered HTML carries the greeting, and its client files never reach the server', async () => {
    const { html } = await expectClientScriptServed(site, /\/_nuxt\/[^"']+\.js/, '/_nuxt/');
    assert.match(html.body, /<h1 id="greeting">Hello from the server<\/h1>/);
  });

  test('an API route answers JSON from the server', async () => {
    const api = await rawRequest(site.server.endpoint, site.host, '/api/greeting');
    assert.equal(api.status, 200);
    assert.match(String(api.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(api.body), { greeting: 'Hello from the server' });
  });
});
