import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, ID } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const CONSOLE = 'console';

describe('the console project', () => {
  let server: TestServer;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_CONSOLE_SIGNUP: 'open' } });
  });
  after(() => server.stop());

  test('is a project of its own: its users sign up and sign in like any project’s', async () => {
    const guest = new Account(sdkClient(server, CONSOLE));
    const admin = await guest.create({ userId: ID.unique(), email: 'root@example.com', password: 'console password', name: 'Root' });
    assert.equal(admin.email, 'root@example.com');

    const signIn = await server.request('/account/sessions/email', {
      method: 'POST',
      project: CONSOLE,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.com', password: 'console password' }),
    });
    assert.equal(signIn.status, 201);
    const cookie = signIn.headers.getSetCookie().find((line) => line.startsWith('a_session_console='));
    assert.ok(cookie, 'a_session_console is set');

    // The Appwrite CLI stores the whole Set-Cookie line and sends it back with its attributes.
    const me = await jsonOf(server.request('/account', { project: CONSOLE, headers: { cookie } }));
    assert.equal(me.$id, admin.$id);
  });

  test('is not listed with the apps’ projects, and takes no API keys', async () => {
    const list = await server.cli(['project', 'list']);
    assert.doesNotMatch(list.stdout, /\bconsole\b/);
    const key = await server.cli(['key', 'create', '--project', CONSOLE, '--name', 'k', '--scopes', 'users.read']);
    assert.notEqual(key.code, 0);
    assert.match(key.stderr, /console project has no API keys/);
  });

  test('ignores an API key sent to it', async () => {
    await server.createProject('app');
    const key = await server.createKey('app');
    const response = await server.request('/users', { project: CONSOLE, key });
    assert.equal(response.status, 401);
  });
});
