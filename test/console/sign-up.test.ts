import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, ID } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { CONSOLE, consoleCookie, INVITE_URL } from './helpers.js';

/** POST /v1/account to the console, as the setup page sends it. */
function signUp(server: TestServer, email: string, setupToken?: string): Promise<Response> {
  return server.request('/account', {
    method: 'POST',
    project: CONSOLE,
    headers: { 'content-type': 'application/json', ...(setupToken ? { 'x-plinth-setup-token': setupToken } : {}) },
    body: JSON.stringify({ userId: 'unique()', email, password: 'console password' }),
  });
}

/** The emails of the default organization's owners, as an administrator signed in as `email` reads them. */
async function defaultOrganizationOwners(server: TestServer, email: string, password = 'console password'): Promise<string[]> {
  const cookie = await consoleCookie(server, email, password);
  const list = await jsonOf(server.request('/teams/default/memberships', { project: CONSOLE, headers: { cookie } }));
  return list.memberships.filter((member: { roles: string[]; confirm: boolean }) => member.confirm && member.roles.includes('owner')).map((member: { userEmail: string }) => member.userEmail);
}

describe('who may sign up to the console', () => {
  describe('closed (the default)', () => {
    let server: TestServer;
    before(async () => {
      server = await TestServer.start({ env: { PLINTH_RATE_LIMITS: 'off' } });
    });
    after(() => server.stop());

    test('the first start prints a one-time link that admits exactly one sign-up', async () => {
      const line = server.logs.find((logged) => logged.includes('/console/setup?token='));
      assert.ok(line, 'the setup link is printed while no administrator exists');
      const token = new URL(/http\S+/.exec(line)![0]).searchParams.get('token')!;

      const refused = await signUp(server, 'first@example.com');
      assert.equal(refused.status, 501);
      assert.equal((await jsonOf(refused)).type, 'user_console_count_exceeded');
      const wrong = await signUp(server, 'first@example.com', 'not-the-token');
      assert.equal((await jsonOf(wrong)).type, 'user_console_count_exceeded');

      // A sign-up that fails for its own reasons leaves the token usable.
      const weak = await server.request('/account', {
        method: 'POST',
        project: CONSOLE,
        headers: { 'content-type': 'application/json', 'x-plinth-setup-token': token },
        body: JSON.stringify({ userId: '!bad id', email: 'first@example.com', password: 'console password' }),
      });
      assert.equal(weak.status, 400);

      const first = await signUp(server, 'first@example.com', token);
      assert.equal(first.status, 201);
      assert.deepEqual(await defaultOrganizationOwners(server, 'first@example.com'), ['first@example.com'], 'the first administrator owns the default organization');
      const used = await signUp(server, 'second@example.com', token);
      assert.equal(used.status, 501);
      assert.equal((await jsonOf(used)).type, 'user_console_count_exceeded');
    });

    test('nobody signs up on their own afterwards, by any route', async () => {
      const guest = new Account(sdkClient(server, CONSOLE));
      await rejectsWith(guest.create({ userId: ID.unique(), email: 'walk-in@example.com', password: 'console password' }), 501, 'user_console_count_exceeded');
      await rejectsWith(guest.createAnonymousSession(), 401, 'user_anonymous_console_prohibited');
      await rejectsWith(guest.createEmailToken({ userId: ID.unique(), email: 'walk-in@example.com' }), 501, 'user_console_count_exceeded');
    });

    test('plinth admin create adds an administrator whatever the policy', async () => {
      const created = await server.cli(['admin', 'create', '--email', 'ops@example.com', '--password', 'ops password']);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /Created administrator \S+ \(ops@example\.com\)/);
      const again = await server.cli(['admin', 'create', '--email', 'ops@example.com', '--password', 'ops password']);
      assert.notEqual(again.code, 0);
      const session = await new Account(sdkClient(server, CONSOLE)).createEmailPasswordSession({ email: 'ops@example.com', password: 'ops password' });
      assert.ok(session.$id);
      assert.deepEqual(await defaultOrganizationOwners(server, 'first@example.com'), ['first@example.com'], 'a later administrator does not join it');
    });
  });

  describe('invite, with an allow-list', () => {
    let server: TestServer;
    before(async () => {
      server = await TestServer.start({
        env: { PLINTH_RATE_LIMITS: 'off', PLINTH_CONSOLE_SIGNUP: 'invite', PLINTH_CONSOLE_SIGNUP_EMAILS: 'Ada@Example.com, grace@example.com' },
      });
    });
    after(() => server.stop());

    test('plinth admin create makes the first administrator the owner of the default organization', async () => {
      const created = await server.cli(['admin', 'create', '--email', 'ops@example.com', '--password', 'ops password']);
      assert.equal(created.code, 0, created.stderr);
      assert.deepEqual(await defaultOrganizationOwners(server, 'ops@example.com', 'ops password'), ['ops@example.com']);
    });

    test('the listed emails sign up; others are told they are not on the list', async () => {
      const ada = await signUp(server, 'ada@example.com');
      assert.equal(ada.status, 201);
      const stranger = await signUp(server, 'mallory@example.com');
      assert.equal(stranger.status, 401);
      assert.equal((await jsonOf(stranger)).type, 'user_email_not_whitelisted');
    });
  });

  describe('open, with an allow-list', () => {
    let server: TestServer;
    before(async () => {
      server = await TestServer.start({ env: { PLINTH_RATE_LIMITS: 'off', PLINTH_CONSOLE_SIGNUP: 'open', PLINTH_CONSOLE_SIGNUP_EMAILS: 'ada@example.com,grace@example.com' } });
    });
    after(() => server.stop());

    test('anyone listed signs up with no link; the list holds for sign-ups and invitations alike', async () => {
      assert.equal((await signUp(server, 'ada@example.com')).status, 201);
      const stranger = await signUp(server, 'mallory@example.com');
      assert.equal(stranger.status, 401);
      assert.equal((await jsonOf(stranger)).type, 'user_email_not_whitelisted');

      const cookie = await consoleCookie(server, 'ada@example.com', 'console password');
      const asAda = (path: string, body: unknown) =>
        server.request(path, { method: 'POST', project: CONSOLE, headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
      assert.equal((await asAda('/teams', { teamId: 'acme', name: 'Acme' })).status, 201);
      assert.equal((await asAda('/teams/acme/memberships', { email: 'grace@example.com', roles: ['developer'], url: INVITE_URL })).status, 201);
      const invited = await asAda('/teams/acme/memberships', { email: 'mallory@example.com', roles: ['developer'], url: INVITE_URL });
      assert.equal(invited.status, 401);
      assert.equal((await jsonOf(invited)).type, 'user_email_not_whitelisted');
    });
  });

  describe('open, without a list', () => {
    let server: TestServer;
    before(async () => {
      server = await TestServer.start({ env: { PLINTH_RATE_LIMITS: 'off', PLINTH_CONSOLE_SIGNUP: 'open' } });
    });
    after(() => server.stop());

    test('anyone signs up, and the setup link is still offered until an administrator exists', async () => {
      assert.ok(server.logs.some((logged) => logged.includes('/console/setup?token=')));
      assert.equal((await signUp(server, 'anyone@example.com')).status, 201);
      assert.equal((await signUp(server, 'someone@example.com')).status, 201);
    });
  });
});
