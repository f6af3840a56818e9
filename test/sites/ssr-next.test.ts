import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Framework, Query } from 'node-appwrite';
import { rawRequest } from '../functions/deploy.js';
import { NEXT_APP } from './ssr-apps.js';
import { expectClientScriptServed, expectGreetingThatHydrates, expectSsrDefaults, newestLog, openSsrSite, type OpenedSsrSite, storedOutputPaths } from './ssr-site.js';

describe('a server-rendered Next.js site', () => {
  let site: OpenedSsrSite;

  before(async () => {
    site = await openSsrSite({ project: 'ssr-next', siteId: 'next', framework: Framework.Nextjs, app: NEXT_APP });
  });
  after(() => site?.close());

  test("the framework list offers ssr for Next.js with Appwrite's defaults, and the site takes its start command", async () => {
    await expectSsrDefaults(site, 'nextjs', {
      outputDirectory: './.next',
      startCommand: 'if [ -f .next/standalone/server.js ]; then exec node .next/standalone/server.js; else exec node_modules/.bin/next start; fi',
    });
    const { frameworks } = await site.sites.listFrameworks();
    const ssr = frameworks.find((framework) => framework.key === 'nextjs')?.adapters[1];
    assert.deepEqual([ssr?.installCommand, ssr?.buildCommand], ['npm install', 'npm run build']);
  });

  test('the page is rendered on the server from a site variable and its client component hydrates in Chromium', async () => {
    await site.visit('/', expectGreetingThatHydrates);
    const log = await newestLog(site.sites, site.siteId, '/');
    assert.equal(log.responseStatusCode, 200);
    assert.match(log.logs, /rendering the next page/);
  });

  test('the client files of .next/static and public are served by Plinth, without reaching the server', async () => {
    const { asset } = await expectClientScriptServed(site, /\/_next\/static\/[^"']+\.js/, '/_next/');
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const file = await rawRequest(site.server.endpoint, site.host, '/hello.txt');
    assert.equal(file.status, 200);
    assert.equal(file.body, 'hello from public\n');
    const { total } = await site.sites.listLogs({ siteId: site.siteId, queries: [Query.equal('requestPath', '/hello.txt')] });
    assert.equal(total, 0);
  });

  test('the stored output is the standalone server, .next/static and public, with no top-level node_modules', async () => {
    const { paths } = await storedOutputPaths(site.sites, site.siteId);
    for (const kept of ['.next/standalone/server.js', '.next/standalone/node_modules/next/package.json', '.next/static', 'public/hello.txt']) assert.ok(paths.has(kept), kept);
    assert.ok(![...paths].some((path) => path === 'node_modules' || path.startsWith('node_modules/')), 'no top-level node_modules');
  });

  test('an API route answers JSON from the server', async () => {
    const api = await rawRequest(site.server.endpoint, site.host, '/api/greeting');
    assert.equal(api.status, 200);
    assert.match(String(api.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(api.body), { greeting: 'Hello from the server' });
    assert.match((await newestLog(site.sites, site.siteId, '/api/greeting')).logs, /reading the greeting/);
  });

  test("an unknown page is the server's own 404", async () => {
    const missing = await rawRequest(site.server.endpoint, site.host, '/nowhere');
    assert.equal(missing.status, 404);
    assert.equal((await newestLog(site.sites, site.siteId, '/nowhere')).responseStatusCode, 404);
  });
});
