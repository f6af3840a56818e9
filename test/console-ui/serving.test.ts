// @engine-independent: serving the built console touches no store.
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { readConfig } from '../../src/app/config.js';
import { TestServer } from '../support/plinth.js';

/** The first hashed script the page loads. */
function scriptPath(html: string): string {
  const path = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  assert.ok(path, html);
  return path;
}

describe('the web console served at /console', () => {
  let server: TestServer;
  let off: TestServer;

  before(async () => {
    [server, off] = await Promise.all([
      TestServer.start({ env: { PLINTH_PUBLIC_URL: 'https://console.example.test' } }),
      TestServer.start({ env: { PLINTH_CONSOLE: 'off' } }),
    ]);
  });
  after(async () => {
    await Promise.all([server?.stop(), off?.stop()]);
  });

  test('the page is revalidated on each load and guarded; every app path is the same page', async () => {
    const page = await fetch(`${server.url}/console`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const html = await page.text();
    assert.match(html, /<title>Plinth console<\/title>/);

    for (const path of ['/console/', '/console/setup?token=abc', '/console/project/shop/keys']) {
      const deep = await fetch(`${server.url}${path}`);
      assert.equal(deep.status, 200, path);
      assert.equal(await deep.text(), html, `${path} is the app's page`);
    }

    const etag = page.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${server.url}/console/organizations`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });

  test('hashed assets are cached for a year and sent compressed to who accepts it', async () => {
    const script = scriptPath(await (await fetch(`${server.url}/console/`)).text());
    assert.match(script, /^\/console\/assets\/index-[\w-]+\.js$/);

    const plain = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(plain.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(plain.headers.get('content-encoding'), null);
    const body = Buffer.from(await plain.arrayBuffer());

    // fetch would decode by itself: read the raw bytes through node:http's view instead.
    const raw = async (encoding: string) => {
      const { request } = await import('node:http');
      return new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
        request(`${server.url}${script}`, { headers: { 'accept-encoding': encoding } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
    };
    const brotli = await raw('gzip, deflate, br');
    assert.equal(brotli.encoding, 'br');
    assert.ok(brotli.bytes.length < body.length / 2);
    assert.deepEqual(brotliDecompressSync(brotli.bytes), body);
    const gzip = await raw('gzip');
    assert.equal(gzip.encoding, 'gzip');
    assert.deepEqual(gunzipSync(gzip.bytes), body);

    const missing = await fetch(`${server.url}/console/assets/index-gone.js`);
    assert.equal(missing.status, 404, 'an asset a newer build replaced is not answered with the page');
  });

  test('paths outside the build stay out of reach', async () => {
    for (const path of ['/console/../package.json', '/console/%2e%2e/package.json', '/console/.source-hash']) {
      const response = await fetch(`${server.url}${path}`);
      const text = await response.text();
      assert.doesNotMatch(text, /"name": "plinth"|^[0-9a-f]{64}$/, path);
    }
  });

  test("an administrator's recovery mail may link to the console's own pages, and nowhere else", async () => {
    const line = server.logs.find((logged) => logged.includes('/console/setup?token='));
    assert.ok(line);
    assert.match(line, /https:\/\/console\.example\.test\/console\/setup\?token=/, 'the link names the public URL');
    const token = /token=(\S+)/.exec(line)![1]!;
    const signUp = await server.request('/account', {
      method: 'POST',
      project: 'console',
      headers: { 'content-type': 'application/json', 'x-plinth-setup-token': token },
      body: JSON.stringify({ userId: 'unique()', email: 'root@example.com', password: 'console password' }),
    });
    assert.equal(signUp.status, 201, await signUp.clone().text());

    const recover = (url: string) =>
      server.request('/account/recovery', { method: 'POST', project: 'console', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'root@example.com', url }) });
    assert.equal((await recover('https://console.example.test/console/recover')).status, 201);
    for (const url of ['https://elsewhere.example/console/recover', 'https://console.example.test/recover', 'https://console.example.test.evil.example/console/recover']) {
      const refused = await recover(url);
      assert.equal(refused.status, 400, url);
      assert.equal(((await refused.json()) as { type: string }).type, 'general_argument_invalid');
    }
  });

  test('PLINTH_CONSOLE=off serves no console; the API is unaffected', async () => {
    assert.equal(readConfig({ PLINTH_CONSOLE: 'off' }).consoleDir, undefined);
    assert.throws(() => readConfig({ PLINTH_CONSOLE: 'maybe' }), /PLINTH_CONSOLE must be on or off/);
    const response = await fetch(`${off.url}/console/`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { type: string }).type, 'general_route_not_found');
    const health = await fetch(`${off.endpoint}/health/version`);
    assert.equal(health.status, 200);
  });
});
