import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/app/config.js';
import { TestServer } from '../support/plinth.js';
import { startReverseProxy, type ReverseProxy } from '../support/reverse-proxy.js';

/** A loopback address other than the proxy's, so the client's own address is told apart. */
const CLIENT_ADDRESS = '127.0.0.7';

/** A request sent from `CLIENT_ADDRESS`, with the X-Forwarded-For the client makes up. */
function sendFrom(base: string, path: string, method: string, forwardedFor: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${base}/v1${path}`);
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        localAddress: CLIENT_ADDRESS,
        headers: { 'x-appwrite-project': 'proxied', 'x-forwarded-for': forwardedFor, 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(method === 'GET' ? undefined : '{}');
  });
}

/** Anonymous sign-ups from rotating made-up addresses until refused; Appwrite allows 50 an hour per address. */
async function signUpsUntilRefused(base: string): Promise<number> {
  for (let attempt = 1; attempt <= 60; attempt++) {
    const { status } = await sendFrom(base, '/account/sessions/anonymous', 'POST', `10.0.${attempt}.1`);
    if (status === 429) return attempt;
    assert.equal(status, 201);
  }
  return Infinity;
}

describe('client addresses behind a reverse proxy trusted by hop count', () => {
  let server: TestServer;
  let proxy: ReverseProxy;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_TRUST_PROXY: '1' } });
    await server.createProject('proxied');
    proxy = await startReverseProxy(server.url);
  });
  after(async () => {
    await proxy.close();
    await server.stop();
  });

  it('reads the address the proxy saw, not one the client wrote', async () => {
    const { body } = await sendFrom(proxy.url, '/locale', 'GET', '1.2.3.4');
    assert.equal(body.ip, CLIENT_ADDRESS);
  });

  it('limits a client that rotates made-up X-Forwarded-For addresses as itself', async () => {
    assert.equal(await signUpsUntilRefused(proxy.url), 51);
  });
});

describe('client addresses behind a reverse proxy trusted by address', () => {
  let server: TestServer;
  let proxy: ReverseProxy;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_TRUST_PROXY: '127.0.0.1/32, ::1' } });
    await server.createProject('proxied');
    proxy = await startReverseProxy(server.url);
  });
  after(async () => {
    await proxy.close();
    await server.stop();
  });

  it('reads the address the listed proxy saw', async () => {
    const { body } = await sendFrom(proxy.url, '/locale', 'GET', '1.2.3.4');
    assert.equal(body.ip, CLIENT_ADDRESS);
  });

  it('ignores X-Forwarded-For from a client that reaches the server directly', async () => {
    const { body } = await sendFrom(server.url, '/locale', 'GET', '1.2.3.4');
    assert.equal(body.ip, CLIENT_ADDRESS);
    assert.equal(await signUpsUntilRefused(server.url), 51);
  });
});

describe('PLINTH_TRUST_PROXY', () => {
  it('refuses true, which would let any client choose its address', () => {
    assert.throws(() => readConfig({ PLINTH_TRUST_PROXY: 'true' }), /^Error: PLINTH_TRUST_PROXY must not be true/);
  });

  it('reads a hop count, a list of addresses and CIDRs, or nothing', () => {
    assert.equal(readConfig({}).trustProxy, false);
    assert.equal(readConfig({ PLINTH_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(readConfig({ PLINTH_TRUST_PROXY: '10.0.0.0/8, fd00::1,loopback' }).trustProxy, ['10.0.0.0/8', 'fd00::1', 'loopback']);
    assert.throws(() => readConfig({ PLINTH_TRUST_PROXY: '10.0.0.0/33' }), /PLINTH_TRUST_PROXY/);
    assert.throws(() => readConfig({ PLINTH_TRUST_PROXY: 'proxy.example.com' }), /PLINTH_TRUST_PROXY/);
  });
});
