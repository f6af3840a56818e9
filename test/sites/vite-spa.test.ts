import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { BuildRuntime, Framework, type Models, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { pollUntil } from '../functions/deploy.js';
import { hostRequest } from './http.js';
import { viteReactArchive } from './vite-app.js';

const SITE = 'shop';
const UNFINISHED = new Set(['waiting', 'processing', 'building']);

describe('a Vite + React single-page app', () => {
  let server: TestServer;
  let browser: Browser;
  let deployment: Models.Deployment;
  let origin: string;
  const host = `${SITE}.sites.localhost`;

  before(async () => {
    const [archive, started, launched] = await Promise.all([viteReactArchive(), TestServer.start(), launchBrowser()]);
    server = started;
    browser = launched;
    await server.createProject('spa');
    const sites = new Sites(sdkClient(server, 'spa', await server.createKey('spa')));
    // The archive holds node_modules: nothing to install, and the build needs no network.
    await sites.create({ siteId: SITE, name: 'Shop', framework: Framework.React, buildRuntime: BuildRuntime.Node200, installCommand: '', buildCommand: 'node node_modules/vite/bin/vite.js build', outputDirectory: './dist' });
    const created = await sites.createDeployment({ siteId: SITE, code: InputFile.fromBuffer(archive, 'code.tar.gz'), activate: true });
    const finished = await pollUntil(async () => {
      const current = await sites.getDeployment({ siteId: SITE, deploymentId: created.$id });
      return UNFINISHED.has(current.status) ? undefined : current;
    }, 50);
    assert.ok(finished, 'the build finished');
    deployment = finished;
    origin = `http://${host}:${new URL(server.endpoint).port}`;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('is built by Vite in the sandbox', () => {
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    assert.match(deployment.buildLogs, /built in/);
  });

  test('runs in Chromium without a console error, deep links included', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('requestfailed', (request) => {
      // A request the page itself dropped by navigating away (the icon, say) is not a failure.
      const reason = request.failure()?.errorText ?? '';
      if (reason !== 'net::ERR_ABORTED') errors.push(`${request.url()}: ${reason}`);
    });
    try {
      await page.goto(`${origin}/`);
      await page.getByRole('heading', { name: 'Shop home' }).waitFor();
      await page.click('#to-product');
      await page.getByRole('heading', { name: 'Product 7' }).waitFor();
      // A link opened afresh: the server answers the app's page, the app the route.
      const deep = await page.goto(`${origin}/products/42`);
      assert.equal(deep?.status(), 200);
      await page.getByRole('heading', { name: 'Product 42' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('its hashed assets are cached for good, compressed to the same bytes; a missing one is 404', async () => {
    const index = (await hostRequest(server.endpoint, host, '/')).body.toString();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    assert.ok(script, index);
    const plain = await hostRequest(server.endpoint, host, script);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    const compressed = await hostRequest(server.endpoint, host, script, { headers: { 'accept-encoding': 'br' } });
    assert.equal(compressed.headers['content-encoding'], 'br');
    assert.ok(compressed.body.length < plain.body.length / 2);
    assert.deepEqual(brotliDecompressSync(compressed.body), plain.body);
    const missing = await hostRequest(server.endpoint, host, '/assets/index-0000abcd.js');
    assert.equal(missing.status, 404);
  });
});
