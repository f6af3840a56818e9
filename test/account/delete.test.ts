import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Users } from 'node-appwrite';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'selfdelete';

/** `DELETE /v1/account`: a signed-in user deletes themselves, as Appwrite's console spec offers. */
describe('deleting one\'s own account', () => {
  let server: TestServer;
  let users: Users;
  let events: PlinthEvent[];

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    users = new Users(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    events = server.recordEvents();
  });
  after(() => server.stop());

  async function signIn(email: string): Promise<string> {
    const response = await server.request('/account/sessions/email', {
      method: 'POST',
      project: PROJECT,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse' }),
    });
    assert.equal(response.status, 201);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`a_session_${PROJECT}=`));
    assert.ok(cookie);
    return cookie.split(';')[0]!;
  }

  test('removes the user with their sessions, publishes the deletion and clears both cookies', async () => {
    await new Account(sdkClient(server, PROJECT)).create({ userId: 'ada', email: 'ada@example.com', password: 'correct horse' });
    const cookie = await signIn('ada@example.com');
    await signIn('ada@example.com');
    events.length = 0;

    const response = await server.request('/account', { method: 'DELETE', project: PROJECT, headers: { cookie } });
    assert.equal(response.status, 204);
    const cleared = response.headers.getSetCookie();
    for (const name of [`a_session_${PROJECT}=`, `a_session_${PROJECT}_legacy=`]) {
      const line = cleared.find((one) => one.startsWith(name));
      assert.ok(line, `${name} is cleared`);
      assert.match(line, /Expires=Thu, 01 Jan 1970/);
    }
    const deleted = events.find((event) => event.names.includes('users.ada.delete'));
    assert.ok(deleted, 'users.ada.delete is published');
    assert.ok(deleted.names.includes('users.*.delete'));
    assert.equal((deleted.payload as { password?: string }).password, undefined, 'no hash in the payload');

    await rejectsWith(users.get({ userId: 'ada' }), 404, 'user_not_found');
    const after = await jsonOf(server.request('/account', { project: PROJECT, headers: { cookie } }));
    assert.equal(after.code, 401);
    await rejectsWith(users.listSessions({ userId: 'ada' }), 404, 'user_not_found');
  });

  test('a guest has no account to delete', async () => {
    const body = await jsonOf(server.request('/account', { method: 'DELETE', project: PROJECT }));
    assert.equal(body.code, 401);
    assert.equal(body.type, 'general_unauthorized_scope');
  });
});
