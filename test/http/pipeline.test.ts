import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppwriteException, Locale } from 'node-appwrite';
import { openDatabase } from '../../src/data/open-database.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

async function errorOf(response: Response): Promise<{ status: number; type: string; message: string; body: any }> {
  const body = await jsonOf(response);
  return { status: response.status, type: body.type, message: body.message, body };
}

describe('request pipeline', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_BODY_LIMIT: '65536' } });
    await server.createProject('pipe');
    key = await server.createKey('pipe');
  });
  after(() => server.stop());

  it('answers an unknown route with general_route_not_found, whatever the method', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const error = await errorOf(await server.request('/nothing/here', { method, project: 'pipe' }));
      assert.equal(error.status, 404);
      assert.equal(error.type, 'general_route_not_found');
      assert.deepEqual(Object.keys(error.body).sort(), ['code', 'message', 'type', 'version']);
      assert.equal(error.body.code, 404);
      assert.equal(error.body.version, '1.9.6');
    }
  });

  it('rejects an unknown project with project_not_found, through the SDK too', async () => {
    const error = await errorOf(await server.request('/locale/countries', { project: 'no-such-project' }));
    assert.equal(error.status, 404);
    assert.equal(error.type, 'project_not_found');
    await assert.rejects(new Locale(sdkClient(server, 'no-such-project')).listCountries(), (e: AppwriteException) => {
      assert.equal(e.code, 404);
      assert.equal(e.type, 'project_not_found');
      return true;
    });
  });

  it('takes the project from the `project` query parameter, as browser links do', async () => {
    const response = await server.request('/locale/continents?project=pipe');
    assert.equal(response.status, 200);
    const error = await errorOf(await server.request('/locale/continents?project=nope'));
    assert.equal(error.type, 'project_not_found');
  });

  it('refuses a caller without the route scope with general_unauthorized_scope', async () => {
    const guest = await errorOf(await server.request('/health', { project: 'pipe' }));
    assert.equal(guest.status, 401);
    assert.equal(guest.type, 'general_unauthorized_scope');
    assert.match(guest.message, /health\.read/);

    const narrowKey = await server.createKey('pipe', 'locale.read');
    const keyed = await errorOf(await server.request('/health/db', { project: 'pipe', key: narrowKey }));
    assert.equal(keyed.status, 401);
    assert.equal(keyed.type, 'general_unauthorized_scope');
  });

  it('treats an unknown key as a guest and a key of another project as unknown', async () => {
    const unknown = await errorOf(await server.request('/health', { project: 'pipe', key: 'standard_deadbeef' }));
    assert.equal(unknown.type, 'general_unauthorized_scope');
    await server.createProject('other');
    const otherKey = await server.createKey('other');
    const cross = await errorOf(await server.request('/health', { project: 'pipe', key: otherKey }));
    assert.equal(cross.type, 'general_unauthorized_scope');
    assert.equal((await server.request('/health', { project: 'other', key: otherKey })).status, 200);
  });

  it('rejects an expired key with project_key_expired, and accepts one that has not expired', async () => {
    const expired = await server.createKey('pipe', 'all', { expire: '2020-01-01T00:00:00.000Z' });
    const error = await errorOf(await server.request('/health', { project: 'pipe', key: expired }));
    assert.equal(error.status, 401);
    assert.equal(error.type, 'project_key_expired');
    const valid = await server.createKey('pipe', 'all', { expire: '2999-01-01' });
    assert.equal((await server.request('/health', { project: 'pipe', key: valid })).status, 200);
  });

  it('names the invalid parameter with general_argument_invalid', async () => {
    const notNumber = await errorOf(await server.request('/health/queue/mails?threshold=abc', { project: 'pipe', key }));
    assert.equal(notNumber.status, 400);
    assert.equal(notNumber.type, 'general_argument_invalid');
    assert.match(notNumber.message, /`threshold`/);

    const badQueue = await errorOf(await server.request('/health/queue/failed/v1-nonsense', { project: 'pipe', key }));
    assert.equal(badQueue.status, 400);
    assert.equal(badQueue.type, 'general_argument_invalid');
    assert.match(badQueue.message, /`name`/);

    const missing = await errorOf(await server.request('/health/certificate', { project: 'pipe', key }));
    assert.equal(missing.type, 'general_argument_invalid');
    assert.equal(missing.message, 'Param "domain" is not optional.');
  });

  it('answers malformed JSON, an oversized body and a wrong-typed field on a real route', async () => {
    const post = (body: string) =>
      server.request('/project/variables', { method: 'POST', project: 'pipe', key, body, headers: { 'content-type': 'application/json' } });

    const malformed = await errorOf(await post('{"variableId": "v1", "key": '));
    assert.equal(malformed.status, 400);
    assert.equal(malformed.type, 'general_bad_request');

    const oversized = await errorOf(await post(JSON.stringify({ variableId: 'v1', key: 'BIG', value: 'x'.repeat(70_000) })));
    assert.equal(oversized.status, 413);
    assert.equal(oversized.body.code, 413);

    const wrongType = await errorOf(await post(JSON.stringify({ variableId: 'v1', key: 42, value: 'x' })));
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.type, 'general_argument_invalid');
    assert.match(wrongType.message, /`key`/);

    // Nothing was half-written by the failed calls.
    const list = await jsonOf(server.request('/project/variables', { project: 'pipe', key }));
    assert.equal(list.total, 0);
  });

  it('refuses a JWT sent together with a session cookie', async () => {
    const error = await errorOf(
      await server.request('/locale/codes', {
        project: 'pipe',
        headers: { 'X-Appwrite-JWT': 'a.b.c', Cookie: 'a_session_pipe=token' },
      }),
    );
    assert.equal(error.status, 403);
    assert.equal(error.type, 'user_jwt_and_cookie_set');
  });

  it('sends nosniff on every answer', async () => {
    const response = await server.request('/locale/codes', { project: 'pipe' });
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('keeps serving after a stream of bad requests', async () => {
    const bad = await Promise.all(
      Array.from({ length: 20 }, (_, i) => server.request(`/health/queue/failed/x${i}`, { project: 'pipe', key })),
    );
    assert.ok(bad.every((response) => response.status === 400));
    assert.equal((await server.request('/health/version')).status, 200);
  });
});

describe('CORS', () => {
  let server: TestServer;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('web');
    // Registering platforms has no API yet: write the row through the data layer.
    const db = openDatabase({ url: server.env.PLINTH_DB, dataDir: server.dataDir });
    const now = new Date().toISOString();
    await db.platform
      .insertInto('platforms')
      .values({ id: 'site', project_id: 'web', type: 'web', name: 'Site', identifier: null, hostname: 'app.example.com', created_at: now, updated_at: now })
      .execute();
    await db.close();
  });
  after(() => server.stop());

  it('answers a preflight with the methods and headers the SDKs use', async () => {
    const response = await server.request('/locale/countries', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    const allowed = response.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['X-Appwrite-Project', 'X-Appwrite-Key', 'X-Appwrite-JWT', 'Content-Range', 'X-Fallback-Cookies', 'X-SDK-Version']) {
      assert.ok(allowed.includes(header), header);
    }
  });

  it('lets localhost and registered web platforms call, with credentials', async () => {
    for (const origin of ['http://localhost:3000', 'https://app.example.com']) {
      const response = await server.request('/locale/continents', { project: 'web', headers: { Origin: origin } });
      assert.equal(response.status, 200, origin);
      assert.equal(response.headers.get('access-control-allow-origin'), origin);
      assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
      assert.match(response.headers.get('access-control-expose-headers') ?? '', /X-Fallback-Cookies/);
    }
  });

  it('refuses an unknown origin with general_unknown_origin, without CORS headers', async () => {
    const response = await server.request('/locale/continents', { project: 'web', headers: { Origin: 'https://evil.example.net' } });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal((await jsonOf(response)).type, 'general_unknown_origin');
  });

  it('lets an API key call from any origin', async () => {
    const key = await server.createKey('web', 'locale.read');
    const response = await server.request('/locale/continents', { project: 'web', key, headers: { Origin: 'https://evil.example.net' } });
    assert.equal(response.status, 200);
  });

  it('puts CORS headers on errors, so the page can read them', async () => {
    const response = await server.request('/health', { project: 'web', headers: { Origin: 'http://localhost:3000' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  });
});
