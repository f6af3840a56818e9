import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, ID, Query, Users } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'users';

describe('users: records', () => {
  let server: TestServer;
  let key: string;
  let users: Users;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    users = new Users(sdkClient(server, PROJECT, key));
  });
  after(() => server.stop());

  test('creates a user with email, phone, password and name, with targets for the contacts', async () => {
    const user = await users.create({ userId: 'ada', email: 'Ada@Example.com', phone: '+14155550100', password: 'correct horse', name: 'Ada' });
    assert.equal(user.$id, 'ada');
    assert.equal(user.email, 'ada@example.com');
    assert.equal(user.phone, '+14155550100');
    assert.equal(user.name, 'Ada');
    assert.equal(user.status, true);
    assert.equal(user.hash, 'argon2');
    assert.ok(user.password?.startsWith('$argon2id$'));
    assert.deepEqual(user.labels, []);
    const targets = user.targets.map((t) => [t.providerType, t.identifier]).sort();
    assert.deepEqual(targets, [['email', 'ada@example.com'], ['sms', '+14155550100']]);

    const got = await users.get({ userId: 'ada' });
    assert.equal(got.email, 'ada@example.com');
    assert.equal(got.targets.length, 2);
  });

  test('creates a user with nothing but an id', async () => {
    const user = await users.create({ userId: ID.unique() });
    assert.equal(user.email, '');
    assert.equal(user.phone, '');
    assert.equal(user.passwordUpdate, '');
    assert.deepEqual(user.targets, []);
  });

  test('names the clashing field: id, email, phone', async () => {
    await rejectsWith(users.create({ userId: 'ada' }), 409, 'user_already_exists');
    await rejectsWith(users.create({ userId: ID.unique(), email: 'ada@example.com' }), 409, 'user_email_already_exists');
    await rejectsWith(users.create({ userId: ID.unique(), phone: '+14155550100' }), 409, 'user_phone_already_exists');
  });

  test('rejects bad parameters with 400', async () => {
    await rejectsWith(users.create({ userId: ID.unique(), password: 'short' }), 400, 'general_argument_invalid');
    await rejectsWith(users.create({ userId: ID.unique(), email: 'not-an-email' }), 400, 'general_argument_invalid');
    await rejectsWith(users.create({ userId: ID.unique(), phone: '4155550100' }), 400, 'general_argument_invalid');
    await rejectsWith(users.create({ userId: '_bad' }), 400, 'general_argument_invalid');
    await rejectsWith(users.updateLabels({ userId: 'ada', labels: ['not ok'] }), 400, 'general_argument_invalid');
  });

  test('an unknown user is user_not_found everywhere', async () => {
    await rejectsWith(users.get({ userId: 'nobody' }), 404, 'user_not_found');
    await rejectsWith(users.delete({ userId: 'nobody' }), 404, 'user_not_found');
    await rejectsWith(users.updateName({ userId: 'nobody', name: 'x' }), 404, 'user_not_found');
    await rejectsWith(users.listSessions({ userId: 'nobody' }), 404, 'user_not_found');
    await rejectsWith(users.getPrefs({ userId: 'nobody' }), 404, 'user_not_found');
  });

  test('lists users with queries, search and total', async () => {
    await users.create({ userId: 'grace', email: 'grace@example.com', name: 'Grace Hopper' });
    await users.create({ userId: 'linus', email: 'linus@example.org', name: 'Linus' });

    const all = await users.list();
    assert.ok(all.total >= 4);
    assert.ok(all.users.every((u) => typeof u.hash === 'string'));

    const byName = await users.list({ queries: [Query.equal('name', 'Grace Hopper')] });
    assert.deepEqual(byName.users.map((u) => u.$id), ['grace']);

    const byDomain = await users.list({ queries: [Query.endsWith('email', '@example.org')] });
    assert.deepEqual(byDomain.users.map((u) => u.$id), ['linus']);

    const searched = await users.list({ search: 'hopper' });
    assert.deepEqual(searched.users.map((u) => u.$id), ['grace']);

    const paged = await users.list({ queries: [Query.orderDesc('$createdAt'), Query.limit(1)] });
    assert.equal(paged.users.length, 1);
    assert.equal(paged.users[0]!.$id, 'linus');

    const noTotal = await users.list({ queries: [Query.limit(1)], total: false });
    assert.equal(noTotal.total, 0);

    const verified = await users.list({ queries: [Query.equal('emailVerification', true)] });
    assert.equal(verified.total, 0);

    await rejectsWith(users.list({ queries: [Query.equal('password', 'x')] }), 400, 'general_query_invalid');
  });

  test('updates name, email, phone and keeps the contact targets in step', async () => {
    await users.create({ userId: 'turing', email: 'alan@example.com', name: 'Alan' });
    assert.equal((await users.updateName({ userId: 'turing', name: 'Alan Turing' })).name, 'Alan Turing');

    await users.updateEmailVerification({ userId: 'turing', emailVerification: true });
    const moved = await users.updateEmail({ userId: 'turing', email: 'Turing@Example.com' });
    assert.equal(moved.email, 'turing@example.com');
    assert.equal(moved.emailVerification, false, 'a new email is unverified');
    assert.deepEqual(moved.targets.map((t) => t.identifier), ['turing@example.com']);

    const withPhone = await users.updatePhone({ userId: 'turing', number: '+14155550199' });
    assert.equal(withPhone.phone, '+14155550199');
    assert.deepEqual(withPhone.targets.map((t) => t.providerType).sort(), ['email', 'sms']);

    await rejectsWith(users.updateEmail({ userId: 'turing', email: 'grace@example.com' }), 409, 'user_email_already_exists');
    await rejectsWith(users.updatePhone({ userId: 'turing', number: '+14155550100' }), 409, 'user_phone_already_exists');
    await rejectsWith(users.updateEmail({ userId: 'turing', email: 'nope' }), 400, 'general_argument_invalid');

    const verified = await users.updatePhoneVerification({ userId: 'turing', phoneVerification: true });
    assert.equal(verified.phoneVerification, true);

    const noPhone = await users.updatePhone({ userId: 'turing', number: '' });
    assert.equal(noPhone.phone, '');
    assert.equal(noPhone.phoneVerification, false);
    assert.deepEqual(noPhone.targets.map((t) => t.providerType), ['email']);
  });

  test('sets a password the user can sign in with', async () => {
    await users.create({ userId: 'pw', email: 'pw@example.com' });
    const updated = await users.updatePassword({ userId: 'pw', password: 'brand new secret' });
    assert.notEqual(updated.passwordUpdate, '');
    const session = await new Account(sdkClient(server, PROJECT, key)).createEmailPasswordSession({ email: 'pw@example.com', password: 'brand new secret' });
    assert.equal(session.userId, 'pw');
    await rejectsWith(users.updatePassword({ userId: 'pw', password: 'short' }), 400, 'general_argument_invalid');
  });

  test('prefs are read and replaced', async () => {
    await users.create({ userId: 'prefs' });
    assert.deepEqual({ ...(await users.getPrefs({ userId: 'prefs' })) }, {});
    const prefs = await users.updatePrefs({ userId: 'prefs', prefs: { theme: 'dark', size: 2 } });
    assert.deepEqual({ ...prefs }, { theme: 'dark', size: 2 });
    assert.deepEqual({ ...(await users.getPrefs({ userId: 'prefs' })) }, { theme: 'dark', size: 2 });
  });

  test('labels replace each other and become label roles', async () => {
    await users.create({ userId: 'labelled' });
    const user = await users.updateLabels({ userId: 'labelled', labels: ['vip', 'beta', 'vip'] });
    assert.deepEqual(user.labels, ['vip', 'beta']);
    const found = await users.list({ queries: [Query.contains('labels', ['beta'])] });
    assert.deepEqual(found.users.map((u) => u.$id), ['labelled']);
    assert.deepEqual((await users.updateLabels({ userId: 'labelled', labels: [] })).labels, []);
    await rejectsWith(users.updateLabels({ userId: 'labelled', labels: ['x'.repeat(37)] }), 400, 'general_argument_invalid');
  });

  test('blocking a user stops their sessions at once', async () => {
    await users.create({ userId: 'blocked', email: 'blocked@example.com', password: 'a fine password' });
    const session = await users.createSession({ userId: 'blocked' });
    const userClient = new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret);
    assert.equal((await new Account(userClient).get()).$id, 'blocked');

    const blocked = await users.updateStatus({ userId: 'blocked', status: false });
    assert.equal(blocked.status, false);
    await rejectsWith(new Account(userClient).get(), 403, 'user_blocked');
    await rejectsWith(
      new Account(sdkClient(server, PROJECT)).createEmailPasswordSession({ email: 'blocked@example.com', password: 'a fine password' }),
      403,
      'user_blocked',
    );
    const found = await users.list({ queries: [Query.equal('status', false)] });
    assert.deepEqual(found.users.map((u) => u.$id), ['blocked']);

    await users.updateStatus({ userId: 'blocked', status: true });
    assert.equal((await new Account(userClient).get()).$id, 'blocked');
  });

  test('the impersonator flag is stored', async () => {
    await users.create({ userId: 'imp' });
    const user = await users.updateImpersonator({ userId: 'imp', impersonator: true });
    assert.equal(user.impersonator, true);
  });

  test("the user model describes the address as Appwrite 1.9.6 does: canonical form, free, disposable, corporate", async () => {
    const free = await users.create({ userId: 'jo', email: 'Jo.Hn+news@gmail.com' });
    assert.equal(free.emailCanonical, 'john@gmail.com');
    assert.equal(free.emailIsCanonical, false);
    assert.equal(free.emailIsFree, true);
    assert.equal(free.emailIsDisposable, false);
    assert.equal(free.emailIsCorporate, false);
    const throwaway = await users.create({ userId: 'throwaway', email: 'x@mailinator.com' });
    assert.deepEqual([throwaway.emailIsDisposable, throwaway.emailIsFree, throwaway.emailIsCorporate], [true, false, false]);
    const work = await users.get({ userId: 'ada' });
    assert.equal(work.emailIsCorporate, !work.emailIsFree && !work.emailIsDisposable);
    const none = await users.create({ userId: 'no-mail' });
    assert.equal(none.emailCanonical, '');
    assert.equal(none.emailIsFree, null);
    assert.equal(none.impersonator, false);
    assert.equal(none.impersonatorUserId, '');
  });

  test('deleting a user removes them, their sessions and their targets', async () => {
    await users.create({ userId: 'gone', email: 'gone@example.com', password: 'a fine password' });
    const session = await users.createSession({ userId: 'gone' });
    await users.delete({ userId: 'gone' });
    await rejectsWith(users.get({ userId: 'gone' }), 404, 'user_not_found');
    const account = new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret));
    await rejectsWith(account.get(), 401, 'general_unauthorized_scope');
    // The email (and its target) are free again.
    const again = await users.create({ userId: 'gone', email: 'gone@example.com' });
    assert.equal(again.targets.length, 1);
  });

  test('a key without the users scopes is refused', async () => {
    const narrow = new Users(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'targets.read')));
    await rejectsWith(narrow.list(), 401, 'general_unauthorized_scope');
    await rejectsWith(narrow.create({ userId: ID.unique() }), 401, 'general_unauthorized_scope');
    const readOnly = new Users(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'users.read')));
    assert.ok((await readOnly.list()).total > 0);
    await rejectsWith(readOnly.delete({ userId: 'ada' }), 401, 'general_unauthorized_scope');
  });

  test('a raw body with the wrong types is a 400', async () => {
    const response = await server.request('/users/ada/status', {
      method: 'PATCH',
      project: PROJECT,
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'yes' }),
    });
    assert.equal(response.status, 400);
    assert.equal((await jsonOf(response)).type, 'general_argument_invalid');
  });
});
