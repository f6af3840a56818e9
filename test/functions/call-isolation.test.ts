import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Functions, ID } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction, rawRequest } from './deploy.js';

const VICTIM = 'trust-a';
const OWNER = 'trust-b';
const APP_ORIGIN = 'https://app.example.org';

/**
 * Echoes the headers it received and tries, in one Set-Cookie header as the runtime joins them, to
 * plant a session of the victim project, a cookie for the whole parent domain, and one of its own;
 * it also answers credentialed CORS and a fallback-cookie session, as hostile code would.
 */
const GREEDY = {
  'index.js': `
module.exports = async ({ req, res }) => res.json({ headers: req.headers }, 200, {
  'content-type': 'text/html',
  'set-cookie': [
    'a_session_${VICTIM}=planted; Path=/; SameSite=None; Secure; Expires=Thu, 01 Jan 2099 00:00:00 GMT',
    'a_session_${VICTIM}_legacy=planted; Path=/',
    'wide=1; Domain=localhost; Path=/',
    'theme=dark; Path=/; Expires=Thu, 01 Jan 2099 00:00:00 GMT',
  ].join(', '),
  'access-control-allow-origin': req.headers.origin || '*',
  'access-control-allow-credentials': 'true',
  'x-fallback-cookies': JSON.stringify({ 'a_session_${VICTIM}': 'planted' }),
});
`,
};

/** A user of the project, signed in as a browser is: the session cookie and its legacy twin. */
async function signInByCookie(server: TestServer, projectId: string): Promise<{ cookies: string[]; secret: string }> {
  const email = `user-${ID.unique()}@example.com`;
  await new Account(sdkClient(server, projectId)).create({ userId: ID.unique(), email, password: 'correct horse' });
  const response = await server.request('/account/sessions/email', {
    method: 'POST',
    project: projectId,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse' }),
  });
  assert.equal(response.status, 201);
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!);
  const secret = cookies.find((cookie) => cookie.startsWith(`a_session_${projectId}=`))!.split('=')[1]!;
  return { cookies, secret };
}

describe('plain HTTP calls never lend a function the API\'s trust', () => {
  let server: TestServer;
  let ownerKey: string;
  let functionId: string;
  let victim: { cookies: string[]; secret: string };
  let owner: { cookies: string[]; secret: string };
  let ownerJwt: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(VICTIM);
    await server.createProject(OWNER);
    ownerKey = await server.createKey(OWNER);
    // The function's project has a web platform: the attacking page's origin.
    await server.addWebPlatform(OWNER, new URL(APP_ORIGIN).hostname, 'App');
    const deployed = await deployFunction(new Functions(sdkClient(server, OWNER, ownerKey)), { runtime: 'node-20.0', files: GREEDY, entrypoint: 'index.js', execute: ['any'] });
    assert.equal(deployed.deployment.status, 'ready', deployed.deployment.buildLogs);
    functionId = deployed.functionId;
    victim = await signInByCookie(server, VICTIM);
    owner = await signInByCookie(server, OWNER);
    ownerJwt = (await jsonOf(server.request('/account/jwts', { method: 'POST', project: OWNER, headers: { cookie: owner.cookies.join('; ') } }))).jwt;
    assert.ok(ownerJwt);
  });
  after(() => server?.stop());

  /** Every way a caller's credentials travel; the JWT cannot travel with a session cookie, so it goes alone. */
  function credentialSets(): Record<string, string>[] {
    return [
      {
        cookie: [...victim.cookies, ...owner.cookies].join('; '),
        'x-fallback-cookies': JSON.stringify({ [`a_session_${VICTIM}`]: victim.secret, [`a_session_${OWNER}`]: owner.secret }),
      },
      { 'x-appwrite-session': owner.secret },
      { 'x-appwrite-jwt': ownerJwt },
      { 'x-appwrite-key': ownerKey },
    ];
  }

  function assertNoCredentialsArrived(received: Record<string, string>, sent: Record<string, string>): void {
    const seen = JSON.stringify(received);
    for (const secret of [victim.secret, owner.secret, ownerJwt, ownerKey]) assert.ok(!seen.includes(secret), `a credential reached the function: ${Object.keys(sent).join(', ')}`);
    assert.equal(received['x-fallback-cookies'], undefined);
    assert.equal(received['x-appwrite-session'], undefined);
    assert.equal(received['x-appwrite-jwt'], undefined);
    assert.ok(!/a_session_/.test(received.cookie ?? ''), 'no session cookie of any project');
    // The server's own headers are still there, computed by the server: an anonymous call.
    assert.equal(received['x-appwrite-trigger'], 'http');
    assert.ok(received['x-appwrite-key'], 'the function still gets its own key');
    assert.equal(received['x-appwrite-user-id'], '');
    assert.equal(received['x-appwrite-user-jwt'], '');
  }

  test('by the path form on the API origin: no credentials in, sandboxed content, no cookies and no CORS out', async () => {
    for (const sent of credentialSets()) {
      const response = await fetch(`${server.endpoint}/functions/${functionId}/run/page?project=${OWNER}`, { headers: { ...sent, origin: APP_ORIGIN } });
      assert.equal(response.status, 200);
      assertNoCredentialsArrived(((await response.json()) as { headers: Record<string, string> }).headers, sent);
      assert.equal(response.headers.get('content-security-policy'), 'sandbox');
      assert.deepEqual(response.headers.getSetCookie(), [], 'the function sets no cookie on the API origin');
      assert.equal(response.headers.get('x-fallback-cookies'), null);
      assert.equal(response.headers.get('access-control-allow-origin'), null, 'no origin is reflected, even a platform of the project');
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
    }
  });

  test('on the function\'s own host: no session cookies in or out, no cookie for the parent domain', async () => {
    for (const sent of credentialSets()) {
      const cookie = sent.cookie ? `${sent.cookie}; theme=light` : 'theme=light';
      const response = await rawRequest(server.endpoint, `${functionId.toLowerCase()}.functions.localhost`, '/', { headers: { ...sent, cookie, origin: APP_ORIGIN } });
      assert.equal(response.status, 200, response.body);
      const received = (JSON.parse(response.body) as { headers: Record<string, string> }).headers;
      assertNoCredentialsArrived(received, sent);
      assert.equal(received.cookie, 'theme=light', 'the host\'s own cookies still reach its function');
      assert.deepEqual(response.headers['set-cookie'], ['theme=dark; Path=/; Expires=Thu, 01 Jan 2099 00:00:00 GMT']);
      assert.equal(response.headers['x-fallback-cookies'], undefined);
      // CORS on its own host is the function's own answer, never lent by the project's platforms.
      assert.equal(response.headers['access-control-allow-origin'], APP_ORIGIN);
      assert.equal(response.headers['access-control-expose-headers'], undefined);
    }
  });

  test('a page on a function\'s host gets no CORS from the API, even under a project\'s wildcard platform', async () => {
    await server.addWebPlatform(VICTIM, '*.localhost', 'Local apps');
    const read = (origin: string) => server.request('/account', { project: VICTIM, headers: { cookie: victim.cookies.join('; '), origin } });
    const app = await read('http://app.localhost');
    assert.equal(app.status, 200);
    assert.equal(app.headers.get('access-control-allow-credentials'), 'true', 'the platform admits the project\'s own app');
    const hostile = await read(`http://${functionId.toLowerCase()}.functions.localhost`);
    assert.equal(hostile.headers.get('access-control-allow-origin'), null);
    assert.equal(hostile.headers.get('access-control-allow-credentials'), null);
    assert.equal((await jsonOf(hostile)).type, 'general_unknown_origin');
  });
});
