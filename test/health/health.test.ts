import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { Client } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';

const run = promisify(execFile);

/** A TLS server on loopback with a self-signed certificate valid for the given days. */
async function startTlsServer(dir: string, days: number): Promise<{ server: Server; port: number }> {
  const name = `cert-${days}`;
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost/O=Plinth Test',
    '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', String(days),
  ]);
  const server = createServer({ key: await readFile(join(dir, `${name}.key`)), cert: await readFile(join(dir, `${name}.pem`)) }, (socket) => socket.end());
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('Health', () => {
  let server: TestServer;
  let key: string;
  let certDir: string;
  const get = (path: string) => server.request(path, { project: 'ops', key });

  before(async () => {
    server = await TestServer.start();
    await server.createProject('ops');
    key = await server.createKey('ops', 'health.read');
    certDir = await mkdtemp(join(tmpdir(), 'plinth-cert-'));
  });
  after(async () => {
    await server.stop();
    await rm(certDir, { recursive: true, force: true });
  });

  it('reports the API version to anyone', async () => {
    const response = await server.request('/health/version');
    assert.equal(response.status, 200);
    assert.deepEqual(await jsonOf(response), { version: '1.9.6' });
  });

  it('needs the health.read scope for everything else', async () => {
    for (const path of ['/health', '/health/db', '/health/queue/mails']) {
      const response = await server.request(path, { project: 'ops' });
      assert.equal(response.status, 401, path);
      assert.equal((await jsonOf(response)).type, 'general_unauthorized_scope');
    }
  });

  it('passes the HTTP, database, cache, pub/sub and storage checks', async () => {
    assert.deepEqual(await jsonOf(get('/health')), { name: 'http', ping: 0, status: 'pass' });
    for (const path of ['/health/db', '/health/cache', '/health/pubsub']) {
      const body = await jsonOf(get(path));
      assert.equal(body.total, body.statuses.length, path);
      assert.ok(body.statuses.every((s: { status: string; ping: number }) => s.status === 'pass' && Number.isInteger(s.ping)), path);
    }
    const db = await jsonOf(get('/health/db'));
    assert.equal(db.statuses[0].name, process.env.PLINTH_TEST_DB ? 'postgres' : 'sqlite');
    for (const [path, name] of [['/health/storage', 'storage'], ['/health/storage/local', 'local']]) {
      const body = await jsonOf(get(path!));
      assert.equal(body.name, name);
      assert.equal(body.status, 'pass');
    }
  });

  it('compares the clock with the database clock', async () => {
    const body = await jsonOf(get('/health/time'));
    assert.ok(Number.isInteger(body.remoteTime) && Number.isInteger(body.localTime));
    assert.ok(Math.abs(body.localTime - Date.now() / 1000) < 60);
    assert.ok(Math.abs(body.diff) <= 1);
  });

  it('reports the antivirus as disabled', async () => {
    assert.deepEqual(await jsonOf(get('/health/anti-virus')), { version: '', status: 'disabled' });
  });

  it('reports every queue size, and fails once a threshold is reached', async () => {
    const queues = ['audits', 'builds', 'certificates', 'databases', 'deletes', 'functions', 'logs', 'mails', 'messaging', 'migrations', 'stats-resources', 'stats-usage', 'webhooks'];
    for (const queue of queues) {
      const response = await get(`/health/queue/${queue}`);
      assert.equal(response.status, 200, queue);
      assert.deepEqual(await jsonOf(response), { size: 0 });
    }
    const hit = await get('/health/queue/mails?threshold=0');
    assert.equal(hit.status, 503);
    assert.equal((await jsonOf(hit)).type, 'health_queue_size_exceeded');
  });

  it('refuses an empty or malformed threshold with general_argument_invalid', async () => {
    for (const threshold of ['', 'abc', '-1', '1.5', '1e3']) {
      for (const path of ['/health/queue/mails', '/health/queue/failed/v1-mails']) {
        const response = await get(`${path}?threshold=${threshold}`);
        assert.equal(response.status, 400, `${path} threshold=${threshold}`);
        assert.equal((await jsonOf(response)).type, 'general_argument_invalid');
      }
    }
  });

  it('answers project_not_found, and creates no store, for a project route called without a project', async () => {
    for (const [method, path] of [['GET', '/databases/db/collections/c/documents'], ['POST', '/account/sessions/anonymous'], ['GET', '/storage/buckets/b/files'], ['GET', '/health']]) {
      const response = await server.request(path!, { method });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal((await jsonOf(response)).type, 'project_not_found');
    }
    assert.equal((await server.request('/locale/codes')).status, 200);
    assert.equal((await server.request('/health/version', { project: 'console' })).status, 200);
    assert.equal(await server.projectStoreExists('console'), false);
  });

  it("answers the SDK's ping for a project, and project_not_found for an unknown one", async () => {
    const ping = (project: string) => new Client().setEndpoint(server.endpoint).setProject(project).ping();
    assert.deepEqual(await ping('ops'), { message: 'Pong!' });
    await assert.rejects(ping('nowhere'), (error: { code?: number; type?: string }) => error.code === 404 && error.type === 'project_not_found');
  });

  it('reports failed jobs per queue by the spec names', async () => {
    const response = await get('/health/queue/failed/v1-mails');
    assert.equal(response.status, 200);
    assert.deepEqual(await jsonOf(response), { size: 0 });
  });

  it("reads a domain's certificate, and reports an unreachable host or a malformed domain", async () => {
    const valid = await startTlsServer(certDir, 30);
    try {
      const response = await get(`/health/certificate?domain=localhost:${valid.port}`);
      assert.equal(response.status, 200);
      const body = await jsonOf(response);
      assert.equal(body.subjectSN, 'localhost');
      assert.equal(body.issuerOrganisation, 'Plinth Test');
      assert.ok(Number(body.validTo) > Date.now() / 1000 + 29 * 86400);
      assert.ok(Number(body.validFrom) <= Date.now() / 1000 + 5);
    } finally {
      valid.server.close();
    }

    const unreachable = await get(`/health/certificate?domain=localhost:${valid.port}`);
    assert.equal(unreachable.status, 404);
    assert.equal((await jsonOf(unreachable)).type, 'health_invalid_host');

    const invalid = await get('/health/certificate?domain=not%20a%20domain');
    assert.equal(invalid.status, 400);
    assert.equal((await jsonOf(invalid)).type, 'general_argument_invalid');
  });
});
