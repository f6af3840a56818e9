import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as WebClient, Presences as WebPresences } from 'appwrite';
import { Presences, Query, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { RealtimeSocket } from '../realtime/socket.js';

const PROJECT = 'presence-app';

describe('Presences through the SDKs', () => {
  let server: TestServer;
  let key: string;
  let presences: Presences;
  const sessions: Record<string, string> = {};
  const sockets: RealtimeSocket[] = [];
  /** The web SDK, as an app's browser uses it: a session speaks for its own user. */
  const asUser = (name: string) => new WebPresences(new WebClient().setEndpoint(server.endpoint).setProject(PROJECT).setSession(sessions[name]!));

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    presences = new Presences(sdkClient(server, PROJECT, key));
    const users = new Users(sdkClient(server, PROJECT, key));
    for (const name of ['alice', 'bob', 'carol']) {
      await users.create({ userId: name, email: `${name}@example.com`, password: 'a-long-password', name });
      sessions[name] = (await users.createSession({ userId: name })).secret;
    }
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await server.stop();
  });

  it('sets a user’s own presence, private to them by default, with metadata beside the model', async () => {
    const before = Date.now();
    const presence = await asUser('alice').upsert({ presenceId: 'alice-web', status: 'online', metadata: { room: 'lobby' } });
    assert.equal(presence.$id, 'alice-web');
    assert.equal(presence.userId, 'alice');
    assert.equal(presence.status, 'online');
    assert.equal(presence.source, 'rest');
    assert.equal(typeof (presence as unknown as { $sequence: unknown }).$sequence, 'string');
    assert.equal((presence as unknown as { room: string }).room, 'lobby');
    assert.deepEqual(presence.$permissions, ['delete("user:alice")', 'read("user:alice")', 'update("user:alice")']);
    // Fifteen minutes unless the app says otherwise.
    const lifetime = Date.parse(presence.expiresAt!) - before;
    assert.ok(lifetime > 14 * 60_000 && lifetime < 16 * 60_000, String(lifetime));

    assert.equal((await asUser('alice').get({ presenceId: 'alice-web' })).status, 'online');
    await rejectsWith(asUser('bob').get({ presenceId: 'alice-web' }), 404, 'presence_not_found');
    assert.equal((await asUser('bob').list()).total, 0);
    assert.equal((await presences.list()).total, 1);
  });

  it('keeps one presence per user: a second upsert updates the first under its id', async () => {
    const again = await asUser('alice').upsert({ presenceId: 'alice-phone', status: 'away' });
    assert.equal(again.$id, 'alice-web');
    assert.equal(again.status, 'away');
    await rejectsWith(asUser('alice').get({ presenceId: 'alice-phone' }), 404, 'presence_not_found');
  });

  it('shows a presence to whom its permissions name, and lets only its owner change it', async () => {
    await asUser('alice').update({ presenceId: 'alice-web', permissions: ['read("users")', 'write("user:alice")'] });
    const seen = await asUser('bob').list();
    assert.deepEqual(
      seen.presences.map((p) => p.$id),
      ['alice-web'],
    );
    await rejectsWith(asUser('bob').update({ presenceId: 'alice-web', status: 'hacked' }), 401, 'user_unauthorized');
    await rejectsWith(asUser('bob').delete({ presenceId: 'alice-web' }), 401, 'user_unauthorized');
    // A user hands out only roles they hold.
    await rejectsWith(asUser('bob').upsert({ presenceId: 'bob-web', status: 'online', permissions: ['read("user:alice")', 'read("team:x")'] }), 401, 'user_unauthorized');
  });

  it('lets a key set anyone’s presence, which that user then owns, and filter by query', async () => {
    const bob = await presences.upsert({ presenceId: 'bob-server', userId: 'bob', status: 'busy' });
    assert.deepEqual(bob.$permissions, ['delete("user:bob")', 'read("user:bob")', 'update("user:bob")']);
    const { presences: busy, total } = await presences.list({ queries: [Query.equal('userId', ['bob'])] });
    assert.deepEqual([total, busy[0]?.status], [1, 'busy']);
    assert.equal((await presences.list({ queries: [Query.equal('status', ['away'])], total: false })).total, 0);
    await rejectsWith(presences.list({ queries: [Query.equal('password', ['x'])] }), 400, 'general_query_invalid');
  });

  it('lets a key with either presences scope write, as Appwrite asks only presences.read, and refuses a key with neither', async () => {
    await new Users(sdkClient(server, PROJECT, key)).create({ userId: 'dave', email: 'dave@example.com', password: 'a-long-password', name: 'dave' });
    for (const scope of ['presences.read', 'presences.write']) {
      const scoped = new Presences(sdkClient(server, PROJECT, await server.createKey(PROJECT, `${scope},users.read`)));
      const presence = await scoped.upsert({ presenceId: 'scoped', userId: 'dave', status: scope });
      assert.equal((await scoped.update({ presenceId: presence.$id, userId: 'dave', status: 'away' })).status, 'away');
      await scoped.delete({ presenceId: presence.$id });
    }
    const unscoped = new Presences(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'users.read')));
    await rejectsWith(unscoped.upsert({ presenceId: 'scoped', userId: 'dave', status: 'online' }), 401, 'general_unauthorized_scope');
  });

  it('refuses what Appwrite refuses: userId from a session, none from a key, unknown users, bad expiry', async () => {
    const sessionOnServerSdk = new Presences(sdkClient(server, PROJECT).setSession(sessions.bob!));
    await rejectsWith(sessionOnServerSdk.upsert({ presenceId: 'x', userId: 'alice', status: 'online' }), 401, 'general_unauthorized_scope');
    const response = await fetch(`${server.endpoint}/presences/x`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': key },
      body: JSON.stringify({ status: 'online' }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { type: string }).type, 'general_bad_request');
    await rejectsWith(presences.upsert({ presenceId: 'x', userId: 'nobody', status: 'online' }), 404, 'user_not_found');
    await rejectsWith(presences.upsert({ presenceId: 'x', userId: 'bob', status: 'on', expiresAt: '2001-01-01T00:00:00.000+00:00' }), 400, 'general_argument_invalid');
    const far = new Date(Date.now() + 31 * 24 * 3600_000).toISOString();
    await rejectsWith(presences.upsert({ presenceId: 'x', userId: 'bob', status: 'on', expiresAt: far }), 400, 'general_argument_invalid');
    await rejectsWith(presences.upsert({ presenceId: 'x', userId: 'bob', status: 's'.repeat(256) }), 400, 'general_argument_invalid');
    // Another user's presence id is taken (a user who has a presence keeps its id instead).
    await rejectsWith(asUser('carol').upsert({ presenceId: 'alice-web', status: 'online' }), 409, 'presence_already_exists');
    await rejectsWith(presences.get({ presenceId: 'missing' }), 404, 'presence_not_found');
  });

  it('delivers presence events on the presences channels only to those who may read them', async () => {
    const { socket } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}&channels[]=presences`, { 'X-Appwrite-Session': sessions.bob! });
    sockets.push(socket);
    // Private to Alice: Bob must not see it, so the first event he gets is the public one after it.
    await asUser('alice').update({ presenceId: 'alice-web', status: 'secret', permissions: ['read("user:alice")', 'write("user:alice")'] });
    await asUser('alice').update({ presenceId: 'alice-web', status: 'visible', permissions: ['read("users")', 'write("user:alice")'] });
    const event = await socket.next();
    assert.equal(event.type, 'event');
    assert.equal(event.data.payload.status, 'visible');
    assert.ok(event.data.events.includes('presences.alice-web.update'));
    assert.ok(event.data.channels.includes('presences') && event.data.channels.includes('presences.alice-web'));

    await asUser('alice').delete({ presenceId: 'alice-web' });
    const gone = await socket.next();
    assert.ok(gone.data.events.includes('presences.alice-web.delete'));
    await rejectsWith(presences.get({ presenceId: 'alice-web' }), 404, 'presence_not_found');
  });

  it('sets a presence over realtime that ends when the socket closes, seen by the others', async () => {
    const { socket: watcher } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}&channels[]=presences`, { 'X-Appwrite-Session': sessions.bob! });
    sockets.push(watcher);
    const { socket: carol } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`, { 'X-Appwrite-Session': sessions.carol! });
    carol.send({ type: 'presence', data: { status: 'typing', presenceId: 'carol-tab', metadata: { room: 'general' }, permissions: ['read("users")'] } });
    const reply = await carol.next();
    assert.equal(reply.type, 'response');
    assert.equal(reply.data.to, 'presence');
    assert.equal(reply.data.presence.$id, 'carol-tab');
    assert.equal(reply.data.presence.source, 'realtime');
    assert.equal(reply.data.presence.room, 'general');

    const online = await watcher.next();
    assert.ok(online.data.events.includes('presences.carol-tab.upsert'));
    assert.equal((await asUser('bob').get({ presenceId: 'carol-tab' })).status, 'typing');

    carol.close();
    const offline = await watcher.next();
    assert.ok(offline.data.events.includes('presences.carol-tab.delete'));
    await rejectsWith(presences.get({ presenceId: 'carol-tab' }), 404, 'presence_not_found');
  });

  it('refuses a realtime presence from a guest and a malformed one', async () => {
    const { socket: guest } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`);
    sockets.push(guest);
    guest.send({ type: 'presence', data: { status: 'online' } });
    assert.deepEqual((await guest.next()).data.code, 401);
    guest.send({ type: 'presence', data: { status: 42 } });
    assert.deepEqual((await guest.next()).data.code, 1003);
  });
});
