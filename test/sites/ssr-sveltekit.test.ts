import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Framework, Sites } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { rawRequest } from '../functions/deploy.js';
import { SVELTEKIT_APP } from './ssr-apps.js';
import { expectClientScriptServed, expectGreetingThatHydrates, expectSsrDefaults, newestLog, openSsrSite, type OpenedSsrSite, storedOutputPaths } from './ssr-site.js';

const PROJECT = 'ssr-kit';
const SITE = 'kit';
const HOST = `${SITE}.sites.localhost`;
const MEMORY_MB = 256;
/** Memory limits are cgroups', which need root; without them the hog would take the host's memory. */
const CGROUPS = process.getuid?.() === 0;

describe('a server-rendered SvelteKit site', () => {
  let server: TestServer;
  let sites: Sites;
  let opened: OpenedSsrSite;

  before(async () => {
    opened = await openSsrSite({ project: PROJECT, siteId: SITE, framework: Framework.Sveltekit, app: SVELTEKIT_APP, env: { PLINTH_FUNCTIONS_MEMORY_MB: String(MEMORY_MB) } });
    ({ server, sites } = opened);
  });
  after(() => opened?.close());

  test('the framework list offers ssr for SvelteKit, and the site takes its start command', async () => {
    await expectSsrDefaults(opened, 'sveltekit', { outputDirectory: './build', startCommand: 'node build/index.js' });
  });

  test('the page is rendered on the server from a site variable and comes alive in Chromium', async () => {
    await opened.visit('/', expectGreetingThatHydrates);
  });

  test('the stored output is the build folder and package.json: no sources, and no node_modules when every package is for development', async () => {
    const { deployment, paths } = await storedOutputPaths(sites, SITE);
    assert.ok(paths.has('build/index.js') && paths.has('build/client') && paths.has('package.json'), [...paths].slice(0, 20).join(', '));
    for (const dropped of ['node_modules', 'src', '.svelte-kit', 'svelte.config.js']) assert.ok(![...paths].some((path) => path === dropped || path.startsWith(`${dropped}/`)), dropped);
    // A pass that deploys an earlier pass's output has nothing left to build or to drop.
    const built = (await sites.get({ siteId: SITE })).buildCommand !== '';
    if (built) assert.ok(deployment.buildSize < deployment.sourceSize / 10, `${deployment.buildSize} of ${deployment.sourceSize} bytes`);
  });

  test("the build's client files are served by Plinth, without reaching the server", async () => {
    const { asset } = await expectClientScriptServed(opened, /\/_app\/immutable\/[^"']+\.js/, '/_app/');
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  test('method, query, headers and body reach the server; no Plinth credential or session cookie crosses', async () => {
    const echo = await rawRequest(server.endpoint, HOST, '/echo?q=kept', {
      method: 'POST',
      body: 'the body, streamed',
      headers: { 'content-type': 'application/octet-stream', cookie: 'a_session_ssr-kit=secret; theme=dark', 'x-custom': 'yes', 'x-appwrite-key': 'standard_nope' },
    });
    assert.equal(echo.status, 201);
    assert.equal(echo.body, 'the body, streamed');
    assert.equal(echo.headers['x-query'], 'kept');
    assert.equal(echo.headers['x-method'], 'POST');
    assert.equal(echo.headers['x-custom'], 'yes');
    assert.equal(echo.headers['x-cookie'], 'theme=dark');
    assert.equal(echo.headers['x-has-key'], 'false');
    assert.equal(echo.headers['set-cookie'], undefined, "a site may not set Plinth's session cookies");
  });

  test('an answer streams: its first part arrives while the server still writes', async () => {
    const url = new URL(server.endpoint);
    const body = await new Promise<string>((resolve, reject) => {
      const outgoing = request({ hostname: url.hostname, port: url.port, path: '/stream', headers: { host: HOST } }, (incoming) => {
        let text = '';
        let released = false;
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          text += chunk;
          // The server finishes only once told to: the first line came through on its own.
          if (!released && text.includes('first\n')) {
            released = true;
            rawRequest(server.endpoint, HOST, '/release').catch(reject);
          }
        });
        incoming.on('end', () => resolve(text));
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    assert.equal(body, 'first\nsecond\n');
  });

  test("a server that crashes answers Plinth's error page, and the next request starts it again", async () => {
    const crash = await rawRequest(server.endpoint, HOST, '/crash');
    assert.equal(crash.status, 502);
    assert.match(crash.body, /502 Bad Gateway/);
    const again = await rawRequest(server.endpoint, HOST, '/');
    assert.equal(again.status, 200);
    assert.match(again.body, /Hello from the server/);
    const log = await newestLog(sites, SITE, '/crash');
    assert.equal(log.responseStatusCode, 502);
    assert.equal(log.status, 'failed');
    assert.match(log.errors, /crashing on purpose/);
  });

  test('a server over its memory limit is stopped with a 503 page, and served again after', { skip: !CGROUPS && 'memory limits need cgroups (root)' }, async () => {
    const hog = await rawRequest(server.endpoint, HOST, '/hog');
    assert.equal(hog.status, 503);
    assert.match(hog.body, /ran out of memory/);
    assert.match((await newestLog(sites, SITE, '/hog')).errors, new RegExp(`ran out of memory.*${MEMORY_MB} MB`));
    const again = await rawRequest(server.endpoint, HOST, '/');
    assert.equal(again.status, 200);
  });

  test("requests are logged with the server's output; with logging off only status and duration stay", async () => {
    await rawRequest(server.endpoint, HOST, '/?logged=1');
    const full = await newestLog(sites, SITE, '/?logged=1');
    assert.equal(full.responseStatusCode, 200);
    assert.equal(full.requestMethod, 'GET');
    assert.equal(full.trigger, 'http');
    assert.equal(full.functionId, SITE);
    assert.match(full.logs, /rendering the greeting/);
    assert.ok(full.requestHeaders.some((header) => header.name === 'x-forwarded-host' && header.value.startsWith(HOST)));
    assert.ok(full.responseHeaders.some((header) => header.name === 'content-type'));
    assert.ok(full.duration > 0);
    assert.deepEqual(await sites.getLog({ siteId: SITE, logId: full.$id }), full);

    await sites.update({ siteId: SITE, name: 'Kit', framework: Framework.Sveltekit, logging: false });
    await rawRequest(server.endpoint, HOST, '/?logged=0');
    const bare = await newestLog(sites, SITE, '/?logged=0');
    assert.equal(bare.responseStatusCode, 200);
    assert.ok(bare.duration > 0);
    assert.deepEqual([bare.logs, bare.errors, bare.requestHeaders, bare.responseHeaders], ['', '', [], []]);

    await sites.deleteLog({ siteId: SITE, logId: full.$id });
    await rejectsWith(sites.getLog({ siteId: SITE, logId: full.$id }), 404, 'log_not_found');
  });
});
