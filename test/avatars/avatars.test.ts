import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Avatars, Browser, CreditCard, Flag, Users } from 'node-appwrite';
import sharp from 'sharp';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'avatars-app';
/** jsqr is CommonJS whose types declare an ES default export. */
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

async function decoded(image: ArrayBuffer | Buffer) {
  const buffer = Buffer.from(image as ArrayBuffer);
  const { format, width, height } = await sharp(buffer).metadata();
  return { format, width, height, buffer };
}

async function pixel(buffer: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(buffer).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [...data.subarray(at, at + 4)];
}

/** A site on loopback: a picture, pages naming their icons (one an SVG), an ICO, an oversized body and a non-image. */
async function startSite(): Promise<{ server: Server; url: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#00ff00' } }).png().toBuffer();
  const ico = Buffer.concat([Buffer.from([0, 0, 1, 0, 1, 0]), Buffer.alloc(64, 7)]);
  const server = createServer((request, response) => {
    hits.set(request.url ?? '/', (hits.get(request.url ?? '/') ?? 0) + 1);
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/picture.png') return response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (path === '/page') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><link rel="icon" sizes="16x16" href="/small.ico"><link rel="icon" sizes="64x32" href="/picture.png"></head></html>');
    if (path === '/vector') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><link rel="icon" href="/icon.svg"><link rel="icon" sizes="64x32" href="/picture.png"></head></html>');
    if (path === '/icon.svg') return response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG_ICON);
    if (path === '/broken-vector') return response.writeHead(200, { 'content-type': 'text/html' }).end('<link rel="icon" href="/broken.svg">');
    if (path === '/broken.svg') return response.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>');
    if (path === '/bare') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    if (path === '/favicon.ico') return response.writeHead(200, { 'content-type': 'image/x-icon' }).end(ico);
    if (path === '/huge.png') return response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(20 * 1024 * 1024) }).end();
    if (path === '/text') return response.writeHead(200, { 'content-type': 'image/png' }).end('not a picture at all');
    if (path === '/moved') return response.writeHead(302, { location: '/picture.png' }).end();
    if (path === '/shot') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body style="margin:0;background:#ff0000"></body></html>');
    response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

/** A 24×24 green square that also tries to run a script when drawn. */
const SVG_ICON = '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" onload="alert(1)"><script>alert(2)</script><rect width="24" height="24" fill="#00ff00"/></svg>';

describe('Avatars through node-appwrite', () => {
  let server: TestServer;
  let guarded: TestServer;
  let site: Awaited<ReturnType<typeof startSite>>;
  let avatars: Avatars;
  let guardedAvatars: Avatars;

  before(async () => {
    site = await startSite();
    [server, guarded] = await Promise.all([
      TestServer.start({ env: { PLINTH_ALLOW_PRIVATE_URLS: 'true', PLINTH_AVATARS_MAX_REMOTE_BYTES: String(1024 * 1024) } }),
      TestServer.start({ env: { PLINTH_CHROMIUM: 'off' } }),
    ]);
    await Promise.all([server.createProject(PROJECT), guarded.createProject(PROJECT)]);
    avatars = new Avatars(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    guardedAvatars = new Avatars(sdkClient(guarded, PROJECT, await guarded.createKey(PROJECT)));
  });
  after(async () => {
    site.server.close();
    await Promise.all([server.stop(), guarded.stop()]);
  });

  it('draws every browser and credit card code as a PNG of the asked size', async () => {
    for (const code of Object.values(Browser)) {
      const image = await decoded(await avatars.getBrowser({ code, width: 40, height: 30 }));
      assert.deepEqual([image.format, image.width, image.height], ['png', 40, 30], code);
    }
    for (const code of Object.values(CreditCard)) {
      const image = await decoded(await avatars.getCreditCard({ code }));
      assert.deepEqual([image.format, image.width, image.height], ['png', 100, 100], code);
    }
  });

  it('draws every flag; a side of 0 follows the flag’s 4:3 shape', async () => {
    const codes = Object.values(Flag);
    assert.equal(codes.length, 195);
    await Promise.all(
      codes.map(async (code) => {
        const image = await decoded(await avatars.getFlag({ code, width: 20, height: 20 }));
        assert.deepEqual([image.format, image.width, image.height], ['png', 20, 20], code);
      }),
    );
    const wide = await decoded(await avatars.getFlag({ code: Flag.France, width: 400, height: 0 }));
    assert.deepEqual([wide.width, wide.height], [400, 300]);
    // France is blue, white and red from left to right.
    const [r = 0, g = 0, b = 0] = await pixel(wide.buffer, 10, 150);
    assert.ok(b > 100 && r < 100 && g < 100, `left stripe ${r},${g},${b}`);
  });

  it('refuses an unknown code and an out-of-range size with general_argument_invalid', async () => {
    await rejectsWith(avatars.getFlag({ code: 'xx' as Flag }), 400, 'general_argument_invalid');
    await rejectsWith(avatars.getBrowser({ code: 'zz' as Browser }), 400, 'general_argument_invalid');
    await rejectsWith(avatars.getCreditCard({ code: 'nope' as CreditCard }), 400, 'general_argument_invalid');
    await rejectsWith(avatars.getFlag({ code: Flag.Germany, width: 2001 }), 400, 'general_argument_invalid');
    await rejectsWith(avatars.getCreditCard({ code: CreditCard.Visa, quality: 101 }), 400, 'general_argument_invalid');
  });

  it('answers icons with Appwrite’s cache headers', async () => {
    const response = await fetch(`${server.endpoint}/avatars/flags/de?project=${PROJECT}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.equal(response.headers.get('cache-control'), 'private, max-age=2592000');
    // Kept once drawn: the same image again, and another size drawn for itself.
    const first = Buffer.from(await response.arrayBuffer());
    const again = Buffer.from(await (await fetch(`${server.endpoint}/avatars/flags/de?project=${PROJECT}`)).arrayBuffer());
    assert.ok(again.equals(first));
    const smaller = await (await fetch(`${server.endpoint}/avatars/flags/de?project=${PROJECT}&width=40&height=30`)).arrayBuffer();
    const { width, height } = await decoded(smaller);
    assert.deepEqual([width, height], [40, 30]);
  });

  it('draws initials in the colour their letters pick, from the signed-in user when no name is given', async () => {
    const named = await decoded(await avatars.getInitials({ name: 'Ada Lovelace', width: 120, height: 80 }));
    assert.deepEqual([named.format, named.width, named.height], ['png', 120, 80]);
    // A (65) + L (76) = 141: the last digit 1 picks the second theme, #FE9567.
    assert.deepEqual(await pixel(named.buffer, 2, 2), [0xfe, 0x95, 0x67, 255]);
    const chosen = await decoded(await avatars.getInitials({ name: 'Ada Lovelace', background: '00ff00' }));
    assert.deepEqual([chosen.width, chosen.height], [500, 500]);
    assert.deepEqual(await pixel(chosen.buffer, 2, 2), [0, 255, 0, 255]);

    const users = new Users(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    await users.create({ userId: 'grace', email: 'grace@example.com', password: 'a-long-password', name: 'Grace Hopper' });
    const session = await users.createSession({ userId: 'grace' });
    const own = new Avatars(sdkClient(server, PROJECT).setSession(session.secret));
    // G (71) + H (72) = 143: the fourth theme, #68A3FE.
    assert.deepEqual(await pixel((await decoded(await own.getInitials({ width: 50, height: 50 }))).buffer, 1, 1), [0x68, 0xa3, 0xfe, 255]);
    await rejectsWith(avatars.getInitials({ name: 'x'.repeat(129) }), 400, 'general_argument_invalid');
    await rejectsWith(avatars.getInitials({ name: 'Ada', background: 'red' }), 400, 'general_argument_invalid');
  });

  it('encodes text as a QR code that reads back, offered as a download when asked', async () => {
    const image = await decoded(await avatars.getQR({ text: 'https://example.com/invite?code=42', size: 300, margin: 2 }));
    assert.deepEqual([image.format, image.width, image.height], ['png', 300, 300]);
    const { data, info } = await sharp(image.buffer).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.equal(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data, 'https://example.com/invite?code=42');
    const response = await fetch(`${server.endpoint}/avatars/qr?project=${PROJECT}&text=hi&download=true`);
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="qr.png"');
    assert.equal(response.headers.get('cache-control'), 'private, max-age=3888000');
    await rejectsWith(avatars.getQR({ text: 'hi', size: 1001 }), 400, 'general_argument_invalid');
    await rejectsWith(avatars.getQR({ text: 'x'.repeat(513) }), 400, 'general_argument_invalid');
  });

  it('crops a remote image when private addresses are allowed', async () => {
    const image = await decoded(await avatars.getImage({ url: `${site.url}/picture.png` }));
    assert.deepEqual([image.format, image.width, image.height], ['png', 400, 400]);
    const scaled = await decoded(await avatars.getImage({ url: `${site.url}/picture.png`, width: 100, height: 0 }));
    assert.deepEqual([scaled.width, scaled.height], [100, 50]);
    assert.deepEqual(await pixel(scaled.buffer, 50, 25), [0, 255, 0, 255]);
  });

  it('reuses a fetched picture for the same arguments, and fetches again for others', async () => {
    const url = `${site.url}/picture.png?reused`;
    const first = await decoded(await avatars.getImage({ url, width: 80, height: 80 }));
    const again = await decoded(await avatars.getImage({ url, width: 80, height: 80 }));
    assert.deepEqual([again.width, again.height], [first.width, first.height]);
    assert.equal(site.hits.get('/picture.png?reused'), 1);
    await decoded(await avatars.getImage({ url, width: 40, height: 40 }));
    assert.equal(site.hits.get('/picture.png?reused'), 2);
    // A failure is not kept: the next call asks again.
    await rejectsWith(avatars.getImage({ url: `${site.url}/gone.png?twice` }), 404, 'avatar_image_not_found');
    await rejectsWith(avatars.getImage({ url: `${site.url}/gone.png?twice` }), 404, 'avatar_image_not_found');
    assert.equal(site.hits.get('/gone.png?twice'), 2);
  });

  it('refuses a huge remote image, a non-image, a redirect and a missing one', async () => {
    await rejectsWith(avatars.getImage({ url: `${site.url}/huge.png` }), 404, 'avatar_remote_url_failed');
    await rejectsWith(avatars.getImage({ url: `${site.url}/text` }), 404, 'avatar_image_not_found');
    await rejectsWith(avatars.getImage({ url: `${site.url}/moved` }), 404, 'avatar_image_not_found');
    await rejectsWith(avatars.getImage({ url: `${site.url}/gone.png` }), 404, 'avatar_image_not_found');
    await rejectsWith(avatars.getImage({ url: 'ftp://example.com/a.png' }), 400, 'general_argument_invalid');
  });

  it('refuses loopback, private and link-local addresses unless the operator allows them', async () => {
    for (const url of [`${site.url}/picture.png`, 'http://10.0.0.1/a.png', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/a.png', 'http://localhost/a.png']) {
      await rejectsWith(guardedAvatars.getImage({ url }), 404, 'avatar_remote_url_failed');
    }
    await rejectsWith(guardedAvatars.getFavicon({ url: `${site.url}/page` }), 404, 'avatar_remote_url_failed');
  });

  it('fetches the largest declared favicon, or /favicon.ico as it is', async () => {
    const icon = await decoded(await avatars.getFavicon({ url: `${site.url}/page` }));
    assert.deepEqual([icon.format, icon.width, icon.height], ['png', 56, 56]);
    const response = await fetch(`${server.endpoint}/avatars/favicon?project=${PROJECT}&url=${encodeURIComponent(`${site.url}/bare`)}`);
    assert.equal(response.headers.get('content-type'), 'image/x-icon');
    assert.deepEqual([...Buffer.from(await response.arrayBuffer()).subarray(0, 4)], [0, 0, 1, 0]);
  });

  it('prefers a declared SVG icon and sends it as SVG, without what could run', async () => {
    const response = await fetch(`${server.endpoint}/avatars/favicon?project=${PROJECT}&url=${encodeURIComponent(`${site.url}/vector`)}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/svg+xml');
    const svg = Buffer.from(await response.arrayBuffer());
    assert.doesNotMatch(svg.toString(), /script|onload|alert/);
    const icon = await decoded(svg);
    assert.deepEqual([icon.format, icon.width, icon.height], ['svg', 24, 24]);
    assert.deepEqual(await pixel(await sharp(svg).png().toBuffer(), 12, 12), [0, 255, 0, 255]);
    await rejectsWith(avatars.getFavicon({ url: `${site.url}/broken-vector` }), 400, 'avatar_svg_sanitization_failed');
  });

  it('takes a screenshot with headless Chromium, or says it cannot', async (t) => {
    await rejectsWith(guardedAvatars.getScreenshot({ url: `${site.url}/shot` }), 501, 'general_server_error');
    if (!process.env.PLINTH_TEST_CHROMIUM && !(await import('node:fs')).existsSync('/usr/bin/chromium')) return t.skip('no Chromium here');
    const shot = await decoded(await avatars.getScreenshot({ url: `${site.url}/shot`, viewportWidth: 320, viewportHeight: 200, width: 160, height: 0 }));
    assert.deepEqual([shot.format, shot.width, shot.height], ['png', 160, 100]);
    assert.deepEqual(await pixel(shot.buffer, 80, 50), [255, 0, 0, 255]);
  });
});
