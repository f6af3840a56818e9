import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Client, Proxy, Query } from '@appwrite.io/console';
import { BuildRuntime, Framework, type Models, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { pollUntil } from '../functions/deploy.js';
import { packFunction } from '../functions/fixtures.js';
import { WEB_TYPES_APP } from './fixtures.js';
import { hostRequest } from './http.js';

const SITE = 'hosted';
const HOST = `${SITE}.sites.localhost`;
const SCRIPT = '/assets/app-3f9a1c2b.js';

const UNFINISHED = new Set(['waiting', 'processing', 'building']);

async function waitForBuild(sites: Sites, deploymentId: string): Promise<Models.Deployment> {
  const finished = await pollUntil(async () => {
    const deployment = await sites.getDeployment({ siteId: SITE, deploymentId });
    return UNFINISHED.has(deployment.status) ? undefined : deployment;
  }, 20);
  if (!finished) throw new Error(`deployment ${deploymentId} still building`);
  return finished;
}

describe('site hosting', () => {
  let server: TestServer;
  let sites: Sites;
  let proxy: Proxy;
  let archive: Buffer;
  const get = (path: string, headers: Record<string, string> = {}, host = HOST) => hostRequest(server.endpoint, host, path, { headers });

  async function deploy(mark: string, activate: boolean): Promise<Models.Deployment> {
    const created = await sites.createDeployment({ siteId: SITE, code: InputFile.fromBuffer(archive, 'code.tar.gz'), activate, buildCommand: `MARK=${mark} node build.mjs` });
    const built = await waitForBuild(sites, created.$id);
    assert.equal(built.status, 'ready', built.buildLogs);
    return built;
  }

  before(async () => {
    server = await TestServer.start();
    await server.createProject('hosting');
    const key = await server.createKey('hosting');
    sites = new Sites(sdkClient(server, 'hosting', key));
    proxy = new Proxy(new Client().setEndpoint(server.endpoint).setProject('hosting').setKey(key));
    archive = await packFunction(WEB_TYPES_APP);
    await sites.create({ siteId: SITE, name: 'Hosted', framework: Framework.Vite, buildRuntime: BuildRuntime.Node200, installCommand: '' });
    await deploy('one', true);
  });
  after(() => server?.stop());

  test('common web files answer with their types', async () => {
    const expected: Record<string, string> = {
      '/': 'text/html; charset=utf-8',
      [SCRIPT]: 'text/javascript; charset=utf-8',
      [`${SCRIPT}.map`]: 'application/json; charset=utf-8',
      '/assets/style-8d1e4f0a.css': 'text/css; charset=utf-8',
      '/module.mjs': 'text/javascript; charset=utf-8',
      '/data.json': 'application/json; charset=utf-8',
      '/site.webmanifest': 'application/manifest+json; charset=utf-8',
      '/icon.svg': 'image/svg+xml; charset=utf-8',
      '/add.wasm': 'application/wasm',
      '/font.woff2': 'font/woff2',
      '/photo.avif': 'image/avif',
      '/photo.webp': 'image/webp',
      '/favicon.ico': 'image/x-icon',
      '/robots.txt': 'text/plain; charset=utf-8',
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers['content-type'], type, path);
    }
  });

  test("a link in the build's output to the server's files serves nothing", async () => {
    for (const headers of [{}, { range: 'bytes=0-3' }] as Record<string, string>[]) {
      const response = await get('/passwd.txt', headers);
      assert.equal(response.status, 404);
      assert.doesNotMatch(response.body.toString(), /root:/);
    }
  });

  test('text is compressed for clients that take it, and decodes to the same bytes', async () => {
    const plain = await get(SCRIPT);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.ok(plain.body.length > 10_000);

    const br = await get(SCRIPT, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.ok(br.body.length < plain.body.length / 3);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.notEqual(br.headers.etag, plain.headers.etag, 'each encoding is its own version for caches');

    const gzip = await get(SCRIPT, { 'accept-encoding': 'br;q=0, gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), plain.body);

    assert.equal((await get(SCRIPT, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) })).status, 304);
    const head = await hostRequest(server.endpoint, HOST, SCRIPT, { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-encoding'], 'br');
    assert.equal(Number(head.headers['content-length']), br.body.length);
    assert.equal(head.body.length, 0);

    // A range is of the plain bytes, whatever the client takes.
    const part = await get(SCRIPT, { 'accept-encoding': 'br, gzip', range: 'bytes=0-11' });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-encoding'], undefined);
    assert.deepEqual(part.body, plain.body.subarray(0, 12));
    assert.equal(part.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(part.headers.vary, 'Accept-Encoding');

    // The build's `.gz` beside the script is a link out of the output, so the script is gzipped here instead.
    assert.doesNotMatch(gunzipSync(gzip.body).toString(), /root:/);

    // Too small to gain, or compressed already: sent as they are.
    assert.equal((await get('/robots.txt', { 'accept-encoding': 'br' })).headers['content-encoding'], undefined);
    assert.equal((await get('/font.woff2', { 'accept-encoding': 'br' })).headers['content-encoding'], undefined);
  });

  test("the build's own compressed copies are sent as they are", async () => {
    const path = '/assets/style-8d1e4f0a.css';
    const plain = await get(path);
    for (const [accept, sibling, decode] of [
      ['br', '.br', brotliDecompressSync],
      ['gzip', '.gz', gunzipSync],
    ] as const) {
      const encoded = await get(path, { 'accept-encoding': accept });
      assert.equal(encoded.headers['content-encoding'], accept);
      assert.equal(encoded.headers['content-type'], 'text/css; charset=utf-8');
      assert.deepEqual(encoded.body, (await get(`${path}${sibling}`)).body, `the ${sibling} file itself`);
      assert.deepEqual(decode(encoded.body), plain.body);
    }
  });

  test('each deployment has its own preview host, listed as a rule, that serves it while another is live', async () => {
    const live = (await sites.get({ siteId: SITE })).deploymentId;
    const second = await deploy('two', false);
    const { rules } = await proxy.listRules({ queries: [Query.equal('deploymentId', second.$id)] });
    assert.equal(rules.length, 1);
    const [rule] = rules;
    assert.equal(rule!.domain, `${second.$id}-${SITE}.sites.localhost`);
    assert.equal(rule!.trigger, 'deployment');
    assert.equal(rule!.type, 'deployment');
    assert.equal(rule!.deploymentResourceType, 'site');
    assert.equal(rule!.deploymentResourceId, SITE);
    assert.equal(rule!.status, 'verified');

    assert.match((await get('/', {}, rule!.domain)).body.toString(), /version two/);
    assert.match((await get('/', {})).body.toString(), /version one/, 'the live one is unchanged');
    const liveRule = (await proxy.listRules({ queries: [Query.equal('deploymentId', live)] })).rules[0]!;
    assert.match((await get('/', {}, liveRule.domain)).body.toString(), /version one/);
    // A preview is the whole deployment: its fallback, its assets, compressed as the live host's are.
    assert.match((await get('/some/deep/link', {}, rule!.domain)).body.toString(), /version two/);
    assert.equal((await get(SCRIPT, { 'accept-encoding': 'br' }, rule!.domain)).headers['content-encoding'], 'br');

    await sites.update({ siteId: SITE, name: 'Hosted', framework: Framework.Vite, enabled: false });
    assert.equal((await get('/', {}, rule!.domain)).status, 403, 'a disabled site has no previews either');
    await sites.update({ siteId: SITE, name: 'Hosted', framework: Framework.Vite, enabled: true });

    await sites.deleteDeployment({ siteId: SITE, deploymentId: second.$id });
    assert.equal((await get('/', {}, rule!.domain)).status, 404);
    assert.equal((await proxy.listRules({ queries: [Query.equal('deploymentId', second.$id)] })).total, 0);
  });

  test('switching the live deployment under continuous requests fails none of them', async () => {
    const one = (await sites.get({ siteId: SITE })).deploymentId;
    const three = await deploy('three', false);
    let switching = true;
    const seen = new Set<string>();
    const failures: string[] = [];
    const visitor = async () => {
      while (switching) {
        for (const path of ['/', SCRIPT]) {
          const response = await get(path, { 'accept-encoding': 'br' });
          const body = path === '/' ? response.body.toString() : brotliDecompressSync(response.body).toString();
          const version = /version (\w+)/.exec(body)?.[1] ?? /"(\w+)-0"/.exec(body)?.[1];
          if (response.status !== 200 || version === undefined) failures.push(`${path}: ${response.status}`);
          else seen.add(version);
        }
      }
    };
    const visitors = Array.from({ length: 4 }, visitor);
    for (let round = 0; round < 4; round++) {
      await sites.updateSiteDeployment({ siteId: SITE, deploymentId: three.$id });
      await sites.updateSiteDeployment({ siteId: SITE, deploymentId: one });
    }
    switching = false;
    await Promise.all(visitors);
    assert.deepEqual(failures, []);
    assert.ok(seen.has('one'));
    assert.match((await get('/')).body.toString(), /version one/);
    await sites.updateSiteDeployment({ siteId: SITE, deploymentId: three.$id });
    assert.match((await get('/')).body.toString(), /version three/);
  });
});
