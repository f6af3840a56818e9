import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, AuthenticatorType, Client, ID, MessagingProviderType, Query, Teams, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'usersessions';

describe('users: sessions, tokens, JWTs, logs, memberships, targets and MFA', () => {
  let server: TestServer;
  let key: string;
  let users: Users;

  const client = () => new Client().setEndpoint(server.endpoint).setProject(PROJECT);

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    users = new Users(sdkClient(server, PROJECT, key));
    await users.create({ userId: 'ada', email: 'ada@example.com', password: 'correct horse', name: 'Ada' });
  });
  after(() => server.stop());

  test('a server-made session works for the user, is listed and can be deleted', async () => {
    const session = await users.createSession({ userId: 'ada' });
    assert.equal(session.userId, 'ada');
    assert.equal(session.provider, 'server');
    assert.ok(session.secret.length > 100);
    const account = new Account(client().setSession(session.secret));
    assert.equal((await account.get()).$id, 'ada');

    const listed = await users.listSessions({ userId: 'ada' });
    assert.ok(listed.sessions.some((s) => s.$id === session.$id));
    assert.ok(listed.sessions.every((s) => s.secret === ''), 'secrets are shown once');

    await users.deleteSession({ userId: 'ada', sessionId: session.$id });
    await rejectsWith(account.get(), 401, 'general_unauthorized_scope');
    await rejectsWith(users.deleteSession({ userId: 'ada', sessionId: session.$id }), 404, 'user_session_not_found');
  });

  test('deleting all sessions signs the user out everywhere', async () => {
    const one = await users.createSession({ userId: 'ada' });
    const two = await users.createSession({ userId: 'ada' });
    await users.deleteSessions({ userId: 'ada' });
    assert.equal((await users.listSessions({ userId: 'ada' })).total, 0);
    for (const session of [one, two]) await rejectsWith(new Account(client().setSession(session.secret)).get(), 401, 'general_unauthorized_scope');
  });

  test('a generic token is traded for a session once', async () => {
    const token = await users.createToken({ userId: 'ada' });
    assert.equal(token.secret.length, 6);
    assert.equal(token.userId, 'ada');
    const ttl = Date.parse(token.expire) - Date.now();
    assert.ok(ttl > 800_000 && ttl <= 900_000, `expires in 15 minutes, got ${ttl}`);

    const long = await users.createToken({ userId: 'ada', length: 64, expire: 60 });
    assert.equal(long.secret.length, 64);

    const guest = new Account(sdkClient(server, PROJECT, key));
    const session = await guest.createSession({ userId: 'ada', secret: token.secret });
    assert.equal(session.userId, 'ada');
    await rejectsWith(guest.createSession({ userId: 'ada', secret: token.secret }), 401, 'user_invalid_token');

    await rejectsWith(users.createToken({ userId: 'ada', length: 2 }), 400, 'general_argument_invalid');
    await rejectsWith(users.createToken({ userId: 'ada', expire: 10 }), 400, 'general_argument_invalid');
    await rejectsWith(users.createToken({ userId: 'nobody' }), 404, 'user_not_found');
  });

  test('JWTs act as the user and die with their session', async () => {
    const session = await users.createSession({ userId: 'ada' });
    const { jwt } = await users.createJWT({ userId: 'ada', sessionId: session.$id, duration: 60 });
    const viaJwt = new Account(client().setJWT(jwt));
    assert.equal((await viaJwt.get()).$id, 'ada');

    const recent = await users.createJWT({ userId: 'ada' });
    assert.equal((await new Account(client().setJWT(recent.jwt)).get()).$id, 'ada');

    await users.deleteSession({ userId: 'ada', sessionId: session.$id });
    await rejectsWith(viaJwt.get(), 401, 'user_jwt_invalid');

    await rejectsWith(users.createJWT({ userId: 'ada', sessionId: 'missing' }), 404, 'user_session_not_found');
    await rejectsWith(users.createJWT({ userId: 'ada', duration: 3601 }), 400, 'general_argument_invalid');
  });

  test('logs show the sessions a server opened', async () => {
    await users.createSession({ userId: 'ada' });
    const logs = await users.listLogs({ userId: 'ada', queries: [Query.limit(2)] });
    assert.ok(logs.total >= 2);
    assert.equal(logs.logs.length, 2);
    assert.ok(logs.logs.some((log) => log.event === 'session.create'));
    await rejectsWith(users.listLogs({ userId: 'ada', queries: [Query.equal('event', 'x')] }), 400, 'general_query_invalid');
  });

  test("lists the user's memberships with team names", async () => {
    const teams = new Teams(sdkClient(server, PROJECT, key));
    await teams.create({ teamId: 'crew', name: 'The Crew' });
    await teams.createMembership({ teamId: 'crew', roles: ['captain'], userId: 'ada' });
    const list = await users.listMemberships({ userId: 'ada' });
    assert.equal(list.total, 1);
    const membership = list.memberships[0]!;
    assert.equal(membership.teamName, 'The Crew');
    assert.equal(membership.userName, 'Ada');
    assert.equal(membership.userEmail, 'ada@example.com');
    assert.deepEqual(membership.roles, ['captain']);
    assert.equal((await users.listMemberships({ userId: 'ada', queries: [Query.equal('teamId', 'other')] })).total, 0);
  });

  test('deleting a user takes them off their teams', async () => {
    const teams = new Teams(sdkClient(server, PROJECT, key));
    await users.create({ userId: 'member' });
    await teams.create({ teamId: 'club', name: 'Club' });
    await teams.createMembership({ teamId: 'club', roles: [], userId: 'member' });
    const before = (await teams.get({ teamId: 'club' })).total;
    await users.delete({ userId: 'member' });
    assert.equal((await teams.get({ teamId: 'club' })).total, before - 1);
    assert.equal((await teams.listMemberships({ teamId: 'club' })).total, 0);
  });

  test('targets are created, read, updated, listed and deleted', async () => {
    const target = await users.createTarget({
      userId: 'ada',
      targetId: 'phone1',
      providerType: MessagingProviderType.Push,
      identifier: 'device-token',
      name: 'Pixel',
    });
    assert.equal(target.providerType, 'push');
    assert.equal(target.expired, false);
    assert.equal((await users.getTarget({ userId: 'ada', targetId: 'phone1' })).name, 'Pixel');

    const updated = await users.updateTarget({ userId: 'ada', targetId: 'phone1', identifier: 'new-token', name: 'Pixel 9' });
    assert.equal(updated.identifier, 'new-token');
    assert.equal(updated.name, 'Pixel 9');

    const pushOnly = await users.listTargets({ userId: 'ada', queries: [Query.equal('providerType', 'push')] });
    assert.deepEqual(pushOnly.targets.map((t) => t.$id), ['phone1']);
    assert.equal((await users.listTargets({ userId: 'ada' })).total, 2, 'the email target and the push target');

    await rejectsWith(
      users.createTarget({ userId: 'ada', targetId: 'phone1', providerType: MessagingProviderType.Push, identifier: 'x' }),
      409,
      'user_target_already_exists',
    );
    await users.deleteTarget({ userId: 'ada', targetId: 'phone1' });
    await rejectsWith(users.getTarget({ userId: 'ada', targetId: 'phone1' }), 404, 'user_target_not_found');
    await rejectsWith(users.deleteTarget({ userId: 'ada', targetId: 'phone1' }), 404, 'user_target_not_found');
  });

  test("a user's targets need the users scopes, as Appwrite declares them", async () => {
    const targetsOnly = new Users(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'targets.read,targets.write')));
    await rejectsWith(targetsOnly.listTargets({ userId: 'ada' }), 401, 'general_unauthorized_scope');
    const usersOnly = new Users(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'users.read')));
    assert.ok((await usersOnly.listTargets({ userId: 'ada' })).total >= 0);
  });

  test('MFA: the switch, the factors and recovery codes', async () => {
    await users.create({ userId: 'mfa', email: 'mfa@example.com' });
    assert.equal((await users.updateMFA({ userId: 'mfa', mfa: true })).mfa, true);

    assert.deepEqual({ ...(await users.listMFAFactors({ userId: 'mfa' })) }, { totp: false, phone: false, email: false, recoveryCode: false });
    await users.updateEmailVerification({ userId: 'mfa', emailVerification: true });
    assert.equal((await users.listMFAFactors({ userId: 'mfa' })).email, true);

    await rejectsWith(users.getMFARecoveryCodes({ userId: 'mfa' }), 404, 'user_recovery_codes_not_found');
    await rejectsWith(users.updateMFARecoveryCodes({ userId: 'mfa' }), 404, 'user_recovery_codes_not_found');
    const created = await users.createMFARecoveryCodes({ userId: 'mfa' });
    assert.equal(created.recoveryCodes.length, 10);
    assert.equal(new Set(created.recoveryCodes).size, 10);
    assert.deepEqual((await users.getMFARecoveryCodes({ userId: 'mfa' })).recoveryCodes, created.recoveryCodes);
    await rejectsWith(users.createMFARecoveryCodes({ userId: 'mfa' }), 409, 'user_recovery_codes_already_exists');
    assert.equal((await users.listMFAFactors({ userId: 'mfa' })).recoveryCode, true);

    const renewed = await users.updateMFARecoveryCodes({ userId: 'mfa' });
    assert.equal(renewed.recoveryCodes.length, 10);
    assert.notDeepEqual(renewed.recoveryCodes, created.recoveryCodes);

    await rejectsWith(users.deleteMFAAuthenticator({ userId: 'mfa', type: AuthenticatorType.Totp }), 404, 'user_authenticator_not_found');
    assert.equal((await users.updateMFA({ userId: 'mfa', mfa: false })).mfa, false);
  });

  test('identities: listed across users; an unknown one is user_identity_not_found', async () => {
    const list = await users.listIdentities();
    assert.equal(list.total, 0);
    assert.equal((await users.listIdentities({ queries: [Query.equal('provider', 'github')], search: 'ada' })).total, 0);
    await rejectsWith(users.deleteIdentity({ identityId: ID.unique() }), 404, 'user_identity_not_found');
  });
});
