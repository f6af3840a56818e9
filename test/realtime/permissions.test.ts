import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, Query, TablesDB, Teams, Users } from 'node-appwrite';
import { signUpUser, waitForSchema, type DatabaseUser } from '../databases/helpers.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { RealtimeSocket } from './socket.js';

const PROJECT = 'perms';
const DB = 'main';

/** The session secret a signed-up user's client carries. */
function secretOf(user: DatabaseUser): string {
  return (user.client as Client & { config: { session: string } }).config.session;
}

describe('realtime permission filtering', () => {
  let server: TestServer;
  let key: string;
  let tables: TablesDB;
  let alice: DatabaseUser;
  let bob: DatabaseUser;
  const open: RealtimeSocket[] = [];

  async function connect(headers: Record<string, string> = {}, query = `project=${PROJECT}`) {
    const result = await RealtimeSocket.connect(server.endpoint, query, headers);
    open.push(result.socket);
    return result;
  }
  const asUser = (user: DatabaseUser) => ({ 'X-Appwrite-Session': secretOf(user) });

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_REALTIME_MESSAGES_PER_MINUTE: '10000', PLINTH_REALTIME_CONNECTIONS_PER_MINUTE: '10000' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    tables = new TablesDB(sdkClient(server, PROJECT, key));
    alice = await signUpUser(server, PROJECT, key, 'Alice');
    bob = await signUpUser(server, PROJECT, key, 'Bob');
    await tables.create({ databaseId: DB, name: 'Main' });
    // Row security on, no table-wide read: each row says who reads it.
    await tables.createTable({ databaseId: DB, tableId: 'private', name: 'Private', rowSecurity: true, permissions: [] });
    await tables.createStringColumn({ databaseId: DB, tableId: 'private', key: 'text', size: 50, required: false });
    // Row security off: the table's read("users") decides.
    await tables.createTable({ databaseId: DB, tableId: 'members', name: 'Members', rowSecurity: false, permissions: ['read("users")'] });
    await tables.createStringColumn({ databaseId: DB, tableId: 'members', key: 'text', size: 50, required: false });
    await waitForSchema(tables, DB, 'private');
    await waitForSchema(tables, DB, 'members');
  });
  after(async () => {
    for (const socket of open) socket.close();
    await server.stop();
  });

  test('the handshake signs in with the session header, cookie, fallback cookies or a JWT', async () => {
    const jwt = (await new Account(alice.client).createJWT()).jwt;
    const ways: Record<string, string>[] = [
      asUser(alice),
      { Cookie: `a_session_${PROJECT}=${secretOf(alice)}` },
      { 'X-Fallback-Cookies': JSON.stringify({ [`a_session_${PROJECT}`]: secretOf(alice) }) },
      { 'X-Appwrite-JWT': jwt },
    ];
    for (const headers of ways) {
      const { connected } = await connect(headers);
      assert.equal(connected.data.user?.$id, alice.userId, JSON.stringify(Object.keys(headers)));
      assert.equal(connected.data.user.name, 'Alice');
      assert.equal(connected.data.user.password, undefined);
    }
    // The web SDK carries a JWT from setJWT() in the URL, as a browser cannot set headers.
    const fromUrl = await connect({}, `project=${PROJECT}&jwt=${encodeURIComponent(jwt)}`);
    assert.equal(fromUrl.connected.data.user?.$id, alice.userId);
    const badCredentials: Record<string, string>[] = [{ 'X-Appwrite-Session': 'not-a-session' }, { 'X-Appwrite-JWT': 'not.a.jwt' }];
    for (const headers of badCredentials) {
      const { connected } = await connect(headers);
      assert.equal(connected.data.user, null, 'bad credentials leave a guest');
    }
  });

  test('row events reach only the connections whose roles may read the row', async () => {
    const sockets = { alice: (await connect(asUser(alice))).socket, bob: (await connect(asUser(bob))).socket, guest: (await connect()).socket };
    for (const socket of Object.values(sockets)) await socket.subscribe('rows', ['rows']);

    await tables.createRow({ databaseId: DB, tableId: 'private', rowId: 'forAlice', data: { text: 'hi' }, permissions: [`read("user:${alice.userId}")`] });
    assert.equal((await sockets.alice.next()).data.payload.$id, 'forAlice');
    await sockets.bob.assertNothingBefore('bob may not read alice’s row');
    await sockets.guest.assertNothingBefore('a guest may not read alice’s row');

    await tables.createRow({ databaseId: DB, tableId: 'private', rowId: 'public', data: { text: 'all' }, permissions: ['read("any")'] });
    for (const socket of Object.values(sockets)) assert.equal((await socket.next()).data.payload.$id, 'public');

    await tables.createRow({ databaseId: DB, tableId: 'members', rowId: 'm1', data: { text: 'users' }, permissions: [`read("user:${alice.userId}")`] });
    assert.equal((await sockets.alice.next()).data.payload.$id, 'm1');
    assert.equal((await sockets.bob.next()).data.payload.$id, 'm1');
    await sockets.guest.assertNothingBefore('a guest is not in users');
  });

  test('account events reach their user only; another user’s account channel is dropped', async () => {
    const { socket: mine } = await connect(asUser(alice));
    const { socket: theirs } = await connect(asUser(bob));
    const { socket: guest } = await connect();
    const subscribed = await mine.subscribe('acc', ['account', 'account.update']);
    assert.deepEqual(subscribed.data.subscriptions[0].channels.sort(), ['account', `account.${alice.userId}`, `account.${alice.userId}.update`].sort());
    const spying = await theirs.subscribe('spy', ['account', `account.${alice.userId}`]);
    assert.deepEqual(spying.data.subscriptions[0].channels.sort(), ['account', `account.${bob.userId}`].sort());
    await guest.subscribe('g', ['account', `account.${alice.userId}`]);

    await new Account(alice.client).updateName({ name: 'Alice A.' });
    const event = await mine.next();
    assert.equal(event.type, 'event');
    assert.equal(event.data.payload.name, 'Alice A.');
    assert.ok(event.data.events.includes(`users.${alice.userId}.update.name`));
    assert.ok(event.data.channels.includes(`account.${alice.userId}`));
    assert.deepEqual(event.data.subscriptions, ['acc']);
    await theirs.assertNothingBefore('bob sees nothing of alice’s account');
    await guest.assertNothingBefore('a guest sees nothing of alice’s account');
  });

  test('in-band authentication: a bad session is an error on an open socket; a good one binds account to the user', async () => {
    const { socket } = await connect();
    await socket.subscribe('acc', ['account']);
    const refused = await socket.request({ type: 'authentication', data: { session: 'bm90IGEgc2Vzc2lvbg==' } });
    assert.deepEqual(refused, { type: 'error', data: { code: 1003, message: 'Session is not valid.' } });
    assert.equal((await socket.request({ type: 'ping' })).type, 'pong');

    const accepted = await socket.request({ type: 'authentication', data: { session: secretOf(bob) } });
    assert.equal(accepted.type, 'response');
    assert.equal(accepted.data.to, 'authentication');
    assert.equal(accepted.data.success, true);
    assert.equal(accepted.data.user.$id, bob.userId);
    await new Account(bob.client).updatePrefs({ prefs: { theme: 'dark' } });
    const event = await socket.next();
    assert.deepEqual(event.data.subscriptions, ['acc']);
    assert.ok(event.data.channels.includes(`account.${bob.userId}`));
  });

  test('team events reach members: the creator at once, an invitee once they joined, nobody after they left', async () => {
    const { socket: owner } = await connect(asUser(alice));
    const { socket: other } = await connect(asUser(bob));
    const { socket: guest } = await connect();
    for (const socket of [owner, other, guest]) await socket.subscribe('t', ['teams', 'memberships']);

    const team = await new Teams(alice.client).create({ teamId: 'crew', name: 'Crew' });
    const created = await owner.next();
    assert.equal(created.data.payload.$id, team.$id);
    assert.ok(created.data.channels.includes('teams.crew') && created.data.channels.includes('teams.crew.create'));
    await other.assertNothingBefore('bob is not in the team');
    await guest.assertNothingBefore('a guest is not in the team');

    // Bob joins through the server (a key adds members directly), then sees team events.
    const membership = await new Teams(sdkClient(server, PROJECT, key)).createMembership({ teamId: 'crew', roles: ['member'], userId: bob.userId });
    const joinedOwner = await owner.next();
    assert.equal(joinedOwner.data.payload.$id, membership.$id);
    assert.ok(joinedOwner.data.channels.includes(`memberships.${membership.$id}`));
    assert.equal((await other.next()).data.payload.$id, membership.$id);
    await new Teams(alice.client).updateName({ teamId: 'crew', name: 'Crew 2' });
    assert.equal((await owner.next()).data.payload.name, 'Crew 2');
    assert.equal((await other.next()).data.payload.name, 'Crew 2');
    await guest.assertNothingBefore('a guest still sees nothing');

    await new Teams(alice.client).deleteMembership({ teamId: 'crew', membershipId: membership.$id });
    await owner.nextOf('event');
    assert.equal((await other.next()).data.payload.$id, membership.$id); // the member hears of their own removal
    await new Teams(alice.client).updateName({ teamId: 'crew', name: 'Crew 3' });
    assert.equal((await owner.next()).data.payload.name, 'Crew 3');
    await other.assertNothingBefore('bob left the team');
  });

  test('logging out stops the private events of that connection', async () => {
    const carol = await signUpUser(server, PROJECT, key, 'Carol');
    const { socket } = await connect(asUser(carol));
    await socket.subscribe('mine', ['rows', 'account']);
    await tables.createRow({ databaseId: DB, tableId: 'private', rowId: 'carol1', data: {}, permissions: [`read("user:${carol.userId}")`] });
    assert.equal((await socket.next()).data.payload.$id, 'carol1');

    await new Account(carol.client).deleteSession({ sessionId: 'current' });
    await tables.createRow({ databaseId: DB, tableId: 'private', rowId: 'carol2', data: {}, permissions: [`read("user:${carol.userId}")`] });
    await tables.createRow({ databaseId: DB, tableId: 'private', rowId: 'open2', data: {}, permissions: ['read("any")'] });
    // Whatever arrives now is public: the logout event itself may come first.
    for (;;) {
      const event = await socket.next();
      assert.notEqual(event.data.payload.$id, 'carol2');
      if (event.data.payload.$id === 'open2') break;
    }
  });

  test('blocking a user stops their private events', async () => {
    const dave = await signUpUser(server, PROJECT, key, 'Dave');
    const { socket } = await connect(asUser(dave));
    await socket.subscribe('mine', ['rows']);
    await new Users(sdkClient(server, PROJECT, key)).updateStatus({ userId: dave.userId, status: false });
    await tables.createRow({ databaseId: DB, tableId: 'private', rowId: 'dave1', data: {}, permissions: [`read("user:${dave.userId}")`] });
    await tables.createRow({ databaseId: DB, tableId: 'private', rowId: 'open3', data: {}, permissions: ['read("any")'] });
    assert.equal((await socket.next()).data.payload.$id, 'open3');
  });

  test('subscribing to a channel one cannot read yields nothing, not an error', async () => {
    const { socket } = await connect();
    const answer = await socket.subscribe('x', [`tablesdb.${DB}.tables.private.rows.forAlice`], [Query.isNotNull('$id')]);
    assert.equal(answer.type, 'response');
    await tables.updateRow({ databaseId: DB, tableId: 'private', rowId: 'forAlice', data: { text: 'changed' } });
    await socket.assertNothingBefore('a guest may not read the row');
  });
});
