import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, ID } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'sessions';

/** A user client carrying the session the server got back. */
function userClient(server: TestServer, session: string): Client {
  return new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session);
}

describe('email and password sessions', () => {
  let server: TestServer;
  let serverAccount: Account;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    serverAccount = new Account(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
  });
  after(() => server.stop());

  test('signs up, signs in and reads the account with the session', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    const created = await guest.create({ userId: ID.unique(), email: 'Ada@Example.com', password: 'correct horse', name: 'Ada' });
    assert.equal(created.email, 'ada@example.com');
    assert.equal(created.name, 'Ada');
    assert.equal((created as { password?: string }).password, undefined);

    const session = await serverAccount.createEmailPasswordSession({ email: 'ada@example.com', password: 'correct horse' });
    assert.equal(session.userId, created.$id);
    assert.equal(session.provider, 'email');
    assert.equal(session.current, true);
    assert.ok(session.secret.length > 100, 'a server caller gets the secret');

    const me = await new Account(userClient(server, session.secret)).get();
    assert.equal(me.$id, created.$id);
    assert.equal(me.emailVerification, false);
  });

  test('a browser-style call gets cookies, and no secret in the body', async () => {
    const response = await server.request('/account/sessions/email', {
      method: 'POST',
      project: PROJECT,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }),
    });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { secret: string };
    assert.equal(body.secret, '');
    const cookies = response.headers.getSetCookie();
    const main = cookies.find((cookie) => cookie.startsWith(`a_session_${PROJECT}=`));
    const legacy = cookies.find((cookie) => cookie.startsWith(`a_session_${PROJECT}_legacy=`));
    assert.ok(main && /HttpOnly/i.test(main) && /SameSite=None/i.test(main), main);
    assert.ok(legacy && !/SameSite/i.test(legacy), legacy);

    const token = main.split(';')[0]!.split('=')[1]!;
    const me = await jsonOf(server.request('/account', { project: PROJECT, headers: { cookie: `a_session_${PROJECT}=${token}` } }));
    assert.equal(me.email, 'ada@example.com');
  });

  test('a cookie or session header with anything appended to the token is refused', async () => {
    const response = await server.request('/account/sessions/email', {
      method: 'POST',
      project: PROJECT,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }),
    });
    const cookies = response.headers.getSetCookie();
    // Clients that keep one Set-Cookie line per name keep the last: the main cookie comes after its twin.
    assert.match(cookies.at(-1)!, new RegExp(`^a_session_${PROJECT}=`));
    // The raw value as a cookie jar keeps it, padding percent-encoded, the way PHP's curl client sends it back.
    const raw = cookies.at(-1)!.split(';')[0]!.slice(`a_session_${PROJECT}=`.length);
    assert.match(raw, /%3D$/);
    const read = (cookie: string) => server.request('/account', { project: PROJECT, headers: { cookie } });
    assert.equal((await read(`a_session_${PROJECT}=${raw}`)).status, 200);
    assert.equal((await read(`a_session_${PROJECT}=${raw}xx`)).status, 401);
    assert.equal((await read(`a_session_${PROJECT}_legacy=${raw}xx`)).status, 401);
    const token = decodeURIComponent(raw);
    const withHeader = (value: string) => server.request('/account', { project: PROJECT, headers: { 'x-appwrite-session': value } });
    assert.equal((await withHeader(token)).status, 200);
    assert.equal((await withHeader(`${token}xx`)).status, 401);
  });

  test('signing out or blocking the account deletes both cookies, the main one last', async () => {
    const signIn = async () => {
      const response = await server.request('/account/sessions/email', {
        method: 'POST',
        project: PROJECT,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }),
      });
      return response.headers.getSetCookie().at(-1)!.split(';')[0]!;
    };
    const deleted = (response: Response) => response.headers.getSetCookie().map((line) => line.split(';')[0]);
    const signOut = await server.request('/account/sessions/current', { method: 'DELETE', project: PROJECT, headers: { cookie: await signIn() } });
    assert.equal(signOut.status, 204);
    assert.deepEqual(deleted(signOut), [`a_session_${PROJECT}_legacy=deleted`, `a_session_${PROJECT}=deleted`]);
    assert.equal(signOut.headers.get('x-fallback-cookies'), '[]');
    const signOutAll = await server.request('/account/sessions', { method: 'DELETE', project: PROJECT, headers: { cookie: await signIn() } });
    assert.deepEqual(deleted(signOutAll), [`a_session_${PROJECT}_legacy=deleted`, `a_session_${PROJECT}=deleted`]);

    await serverAccount.create({ userId: 'cookie-blocker', email: 'cookie-blocker@example.com', password: 'correct horse' });
    const session = await serverAccount.createEmailPasswordSession({ email: 'cookie-blocker@example.com', password: 'correct horse' });
    const blocked = await server.request('/account/status', {
      method: 'PATCH',
      project: PROJECT,
      headers: { cookie: `a_session_${PROJECT}=${encodeURIComponent(session.secret)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: false }),
    });
    assert.equal(blocked.status, 200);
    const lines = blocked.headers.getSetCookie();
    assert.deepEqual(lines.map((line) => line.split(';')[0]), [`a_session_${PROJECT}_legacy=deleted`, `a_session_${PROJECT}=deleted`]);
    assert.ok(lines.every((line) => /Expires=Thu, 01 Jan 1970/.test(line)), lines.join('\n'));
  });

  test("a session names the client as Appwrite does: Chrome is CH at 70.0, Windows is WIN 10, the country unknown as --", async () => {
    const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36';
    const response = await server.request('/account/sessions/email', {
      method: 'POST',
      project: PROJECT,
      headers: { 'content-type': 'application/json', 'user-agent': chrome },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }),
    });
    const session = await jsonOf(response);
    assert.deepEqual(
      [session.osName, session.osCode, session.osVersion, session.clientType, session.clientName, session.clientCode, session.clientVersion, session.clientEngine, session.deviceName],
      ['Windows', 'WIN', '10', 'browser', 'Chrome', 'CH', '70.0', 'Blink', 'desktop'],
    );
    assert.deepEqual([session.countryCode, session.countryName], ['--', 'Unknown']);
  });

  test('a wrong password or unknown email is user_invalid_credentials', async () => {
    await rejectsWith(serverAccount.createEmailPasswordSession({ email: 'ada@example.com', password: 'wrong password' }), 401, 'user_invalid_credentials');
    await rejectsWith(serverAccount.createEmailPasswordSession({ email: 'nobody@example.com', password: 'whatever1' }), 401, 'user_invalid_credentials');
  });

  test('password sign-in is limited to 10 attempts an hour per address, with X-RateLimit headers', async () => {
    const attempt = () =>
      server.request('/account/sessions/email', {
        method: 'POST',
        project: PROJECT,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'limited@example.com', password: 'guessing away' }),
      });
    for (let i = 1; i <= 10; i++) {
      const response = await attempt();
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('x-ratelimit-limit'), '10');
      assert.equal(response.headers.get('x-ratelimit-remaining'), String(10 - i));
    }
    const limited = await attempt();
    assert.equal(limited.status, 429);
    assert.equal(((await limited.json()) as { type: string }).type, 'general_rate_limit_exceeded');
    // A server with an API key is not limited.
    await rejectsWith(serverAccount.createEmailPasswordSession({ email: 'limited@example.com', password: 'guessing away' }), 401, 'user_invalid_credentials');
  });

  test('a duplicate email is user_already_exists', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    await rejectsWith(guest.create({ userId: ID.unique(), email: 'ada@example.com', password: 'another one' }), 409, 'user_already_exists');
  });

  test('a short password and a bad email are refused at the edge', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    await rejectsWith(guest.create({ userId: ID.unique(), email: 'short@example.com', password: 'short' }), 400, 'general_argument_invalid');
    await rejectsWith(guest.create({ userId: ID.unique(), email: 'not-an-email', password: 'long enough' }), 400, 'general_argument_invalid');
  });

  test('a guest cannot read an account', async () => {
    await rejectsWith(new Account(sdkClient(server, PROJECT)).get(), 401, 'general_unauthorized_scope');
  });

  test('lists, extends and deletes sessions; a deleted session stops working', async () => {
    const first = await serverAccount.createEmailPasswordSession({ email: 'ada@example.com', password: 'correct horse' });
    const second = await serverAccount.createEmailPasswordSession({ email: 'ada@example.com', password: 'correct horse' });
    const account = new Account(userClient(server, first.secret));
    const list = await account.listSessions();
    assert.ok(list.total >= 2);
    assert.equal(list.sessions.filter((session) => session.current).length, 1);
    assert.equal(list.sessions.find((session) => session.current)!.$id, first.$id);

    const current = await account.getSession({ sessionId: 'current' });
    assert.equal(current.$id, first.$id);
    const extended = await account.updateSession({ sessionId: 'current' });
    assert.ok(extended.expire >= current.expire);

    await account.deleteSession({ sessionId: second.$id });
    await rejectsWith(new Account(userClient(server, second.secret)).get(), 401, 'general_unauthorized_scope');
    await rejectsWith(account.getSession({ sessionId: second.$id }), 404, 'user_session_not_found');

    await account.deleteSessions();
    await rejectsWith(account.get(), 401, 'general_unauthorized_scope');
  });

  test('anonymous sessions, JWTs and the account log', async () => {
    const anonymous = await serverAccount.createAnonymousSession();
    assert.equal(anonymous.provider, 'anonymous');
    const account = new Account(userClient(server, anonymous.secret));
    const me = await account.get();
    assert.equal(me.email, '');

    const { jwt } = await account.createJWT();
    const viaJwt = new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setJWT(jwt));
    assert.equal((await viaJwt.get()).$id, me.$id);
    await rejectsWith(
      new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setJWT(`${jwt}x`)).get(),
      401,
      'user_jwt_invalid',
    );

    const logs = await account.listLogs();
    assert.equal(logs.logs[0]?.event, 'session.create');

    // The JWT dies with its session.
    await account.deleteSession({ sessionId: 'current' });
    await rejectsWith(viaJwt.get(), 401, 'user_jwt_invalid');
  });

  test('updates name, prefs, password (old one required) and email', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    await guest.create({ userId: 'grace', email: 'grace@example.com', password: 'first password' });
    const session = await serverAccount.createEmailPasswordSession({ email: 'grace@example.com', password: 'first password' });
    const account = new Account(userClient(server, session.secret));

    assert.equal((await account.updateName({ name: 'Grace' })).name, 'Grace');
    await account.updatePrefs({ prefs: { theme: 'dark' } });
    assert.deepEqual({ ...(await account.getPrefs()) }, { theme: 'dark' });

    await rejectsWith(account.updatePassword({ password: 'second password', oldPassword: 'nope nope' }), 401, 'user_invalid_credentials');
    await account.updatePassword({ password: 'second password', oldPassword: 'first password' });
    await rejectsWith(serverAccount.createEmailPasswordSession({ email: 'grace@example.com', password: 'first password' }), 401, 'user_invalid_credentials');

    await rejectsWith(account.updateEmail({ email: 'ada@example.com', password: 'second password' }), 409, 'user_already_exists');
    const moved = await account.updateEmail({ email: 'grace@hopper.dev', password: 'second password' });
    assert.equal(moved.email, 'grace@hopper.dev');
  });

  test('blocking your own account ends its sessions', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    await guest.create({ userId: 'blocker', email: 'blocker@example.com', password: 'block me now' });
    const session = await serverAccount.createEmailPasswordSession({ email: 'blocker@example.com', password: 'block me now' });
    const account = new Account(userClient(server, session.secret));
    const blocked = await account.updateStatus();
    assert.equal(blocked.status, false);
    await rejectsWith(account.get(), 401, 'general_unauthorized_scope');
    await rejectsWith(serverAccount.createEmailPasswordSession({ email: 'blocker@example.com', password: 'block me now' }), 403, 'user_blocked');
  });

  test('registers, updates and removes a push target (a client-SDK call, sent raw)', async () => {
    const session = await serverAccount.createEmailPasswordSession({ email: 'ada@example.com', password: 'correct horse' });
    const send = (method: string, path: string, body?: unknown) =>
      server.request(path, {
        method,
        project: PROJECT,
        headers: { 'content-type': 'application/json', 'x-appwrite-session': session.secret },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const created = await send('POST', '/account/targets/push', { targetId: 'phone1', identifier: 'device-token-1' });
    assert.equal(created.status, 201);
    assert.equal(((await created.json()) as { providerType: string }).providerType, 'push');
    const updated = await jsonOf(send('PUT', '/account/targets/phone1/push', { identifier: 'device-token-2' }));
    assert.equal(updated.identifier, 'device-token-2');
    assert.equal((await jsonOf(send('POST', '/account/targets/push', { targetId: 'phone1', identifier: 'again' }))).type, 'user_target_already_exists');
    assert.equal((await send('DELETE', '/account/targets/phone1/push')).status, 204);
    assert.equal((await jsonOf(send('DELETE', '/account/targets/phone1/push'))).type, 'user_target_not_found');
  });
});
