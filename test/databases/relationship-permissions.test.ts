import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppwriteException, Client, Permission, Query, RelationMutate, RelationshipType, Role, TablesDB } from 'node-appwrite';
import { RealtimeSocket } from '../realtime/socket.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpUser, waitForSchema, type DatabaseUser } from './helpers.js';

const PROJECT = 'relperms';
const DB = 'rp';
/** Rows made by the key start with this $updatedAt, so a change of it shows without comparing clocks. */
const OLD = '2020-01-01T00:00:00.000+00:00';
const SOMEONE_ELSE = Role.user('someone-else');

type Data = Record<string, any>;
type Direction = 'parent' | 'child';

const TYPES = [RelationshipType.OneToOne, RelationshipType.OneToMany, RelationshipType.ManyToOne, RelationshipType.ManyToMany];

/** Which table a write of one direction goes to, under which key, and whether that key holds a list. */
function sideOf(type: RelationshipType, direction: Direction) {
  const parents = `${type}_p`;
  const children = `${type}_c`;
  if (direction === 'parent') return { table: parents, key: 'link', other: children, many: type === RelationshipType.OneToMany || type === RelationshipType.ManyToMany };
  return { table: children, key: 'back', other: parents, many: type === RelationshipType.ManyToOne || type === RelationshipType.ManyToMany };
}

describe('relationship writes change related rows only as far as the caller may update them', () => {
  let server: TestServer;
  let tables: TablesDB;
  let alice: DatabaseUser;
  let socket: RealtimeSocket;
  let own: string[];
  let readOnly: string[];
  let hidden: string[];

  const row = (tableId: string, rowId: string, data: Data, permissions: string[]) =>
    tables.createRow({ databaseId: DB, tableId, rowId, data: { $updatedAt: OLD, ...data } as never, permissions });
  const get = (tableId: string, rowId: string, select = ['*']): Promise<Data> => tables.getRow({ databaseId: DB, tableId, rowId, queries: [Query.select(select)] });
  const updatedAt = async (tableId: string, rowId: string) => (await get(tableId, rowId)).$updatedAt as string;
  /** Puts a row's $updatedAt back to OLD, so the next change of it shows. */
  const age = (tableId: string, rowId: string) => tables.updateRow({ databaseId: DB, tableId, rowId, data: { $updatedAt: OLD } as never });
  /** The ids a row links to under `key`, sorted. */
  const links = async (tableId: string, rowId: string, key: string): Promise<string[]> => {
    const value = (await get(tableId, rowId, [`${key}.$id`]))[key];
    return (Array.isArray(value) ? value.map((item: Data) => item.$id) : value ? [value.$id] : []).sort();
  };
  const asAlice = (tableId: string, rowId: string, data: Data) => alice.tables.updateRow({ databaseId: DB, tableId, rowId, data: data as never });
  /** Reads the socket up to a fresh pong: whatever was published before is behind. */
  const drain = async () => {
    socket.send({ type: 'ping' });
    await socket.nextOf('pong');
  };
  const eventNamed = async (name: string): Promise<Data> => {
    for (;;) {
      const message = await socket.nextOf('event');
      if ((message.data.events as string[]).includes(name)) return message.data;
    }
  };

  const table = async (tableId: string, permissions: string[]) => {
    await tables.createTable({ databaseId: DB, tableId, name: tableId, rowSecurity: true, permissions });
    await tables.createStringColumn({ databaseId: DB, tableId, key: 'name', size: 32, required: false });
    await waitForSchema(tables, DB, tableId);
  };
  const relate = async (tableId: string, relatedTableId: string, type: RelationshipType, options: Data) => {
    await tables.createRelationshipColumn({ databaseId: DB, tableId, relatedTableId, type, ...options });
    await waitForSchema(tables, DB, tableId);
    await waitForSchema(tables, DB, relatedTableId);
  };

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_REALTIME_MESSAGES_PER_MINUTE: '10000' } });
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    tables = new TablesDB(sdkClient(server, PROJECT, key));
    alice = await signUpUser(server, PROJECT, key, 'Alice');
    const me = Role.user(alice.userId);
    own = [Permission.read(me), Permission.update(me), Permission.delete(me)];
    readOnly = [Permission.read(me), Permission.update(SOMEONE_ELSE), Permission.delete(SOMEONE_ELSE)];
    hidden = [Permission.read(SOMEONE_ELSE), Permission.update(SOMEONE_ELSE)];
    await tables.create({ databaseId: DB, name: 'Relationship permissions' });
    for (const type of TYPES) {
      await table(`${type}_p`, [Permission.create(Role.users())]);
      await table(`${type}_c`, [Permission.create(Role.users())]);
      await relate(`${type}_p`, `${type}_c`, type, { key: 'link', twoWay: true, twoWayKey: 'back', onDelete: RelationMutate.SetNull });
    }
    await table('owners', [Permission.create(Role.users())]);
    await table('notes', [Permission.create(Role.users())]);
    await relate('owners', 'notes', RelationshipType.OneToMany, { key: 'notes', onDelete: RelationMutate.SetNull });
    await table('posts', [Permission.create(Role.users())]);
    await table('categories', []);
    await table('tags', []);
    await relate('posts', 'categories', RelationshipType.ManyToOne, { key: 'category', onDelete: RelationMutate.SetNull });
    await relate('posts', 'tags', RelationshipType.ManyToMany, { key: 'tags', onDelete: RelationMutate.SetNull });
    await table('boxes', [Permission.create(Role.users())]);
    await table('tokens', []);
    await relate('boxes', 'tokens', RelationshipType.OneToMany, { key: 'tokens', twoWay: true, twoWayKey: 'box', onDelete: RelationMutate.Cascade });
    const session = (alice.client as Client & { config: { session: string } }).config.session;
    socket = (await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`, { 'X-Appwrite-Session': session })).socket;
    await socket.subscribe('rows', ['rows']);
  });
  after(async () => {
    socket?.close();
    await server.stop();
  });

  for (const type of TYPES) {
    for (const direction of ['parent', 'child'] as const) {
      test(`${type}, written from the ${direction} side: a link needs update permission on the rows it links and lets go`, async () => {
        const { table: mine, key, other, many } = sideOf(type, direction);
        const value = (ids: string[]) => (many ? ids : (ids[0] ?? null));
        const id = (name: string) => `${direction}-${name}`;
        await row(mine, id('w'), { name: 'w' }, own);
        await row(other, id('ro'), { name: 'ro' }, readOnly);
        await row(other, id('hidden'), { name: 'hidden' }, hidden);
        await row(other, id('mine'), { name: 'mine' }, own);
        await row(other, id('held'), { name: 'held' }, readOnly);
        await row(mine, id('holder'), { name: 'holder', [key]: value([id('held')]) }, own);
        const heldSince = await updatedAt(other, id('held'));
        await drain();

        // A row she may read but not update: refused, and neither side changes, the plain values included.
        await rejectsWith(asAlice(mine, id('w'), { name: 'changed', [key]: value([id('ro')]) }), 401, 'user_unauthorized');
        await rejectsWith(alice.tables.createRow({ databaseId: DB, tableId: mine, rowId: id('new'), data: { [key]: value([id('ro')]) } as never }), 401, 'user_unauthorized');
        await rejectsWith(get(mine, id('new')), 404, 'row_not_found');
        assert.equal((await get(mine, id('w'))).name, 'w');
        assert.deepEqual(await links(mine, id('w'), key), []);
        assert.equal(await updatedAt(other, id('ro')), OLD);
        assert.equal(await updatedAt(mine, id('w')), OLD);

        // A row she may not read is answered as one that does not exist.
        const missing = await asAlice(mine, id('w'), { [key]: value(['nothing-here']) }).catch((error: AppwriteException) => error);
        const unreadable = await asAlice(mine, id('w'), { [key]: value([id('hidden')]) }).catch((error: AppwriteException) => error);
        assert.ok(missing instanceof AppwriteException && unreadable instanceof AppwriteException);
        assert.deepEqual([unreadable.code, unreadable.type], [400, 'relationship_value_invalid']);
        assert.deepEqual([unreadable.code, unreadable.type, unreadable.message.replace(id('hidden'), 'X')], [missing.code, missing.type, missing.message.replace('nothing-here', 'X')]);
        assert.equal(await updatedAt(other, id('hidden')), OLD);

        // Letting go of a row she may not update is refused too.
        await rejectsWith(asAlice(mine, id('holder'), { [key]: value([]) }), 401, 'user_unauthorized');
        assert.deepEqual(await links(mine, id('holder'), key), [id('held')]);
        assert.equal(await updatedAt(other, id('held')), heldSince);
        await socket.assertNothingBefore('a refused write publishes nothing');

        // Her own row: linked, then let go, each time with a new $updatedAt and an update event.
        const name = `tablesdb.${DB}.tables.${other}.rows.${id('mine')}.update`;
        await asAlice(mine, id('w'), { [key]: value([id('mine')]) });
        assert.deepEqual(await links(other, id('mine'), direction === 'parent' ? 'back' : 'link'), [id('w')]);
        assert.notEqual(await updatedAt(other, id('mine')), OLD);
        assert.equal((await eventNamed(name)).payload.$updatedAt, await updatedAt(other, id('mine')));
        await age(other, id('mine'));
        await drain();
        await asAlice(mine, id('w'), { [key]: value([]) });
        assert.deepEqual(await links(mine, id('w'), key), []);
        assert.notEqual(await updatedAt(other, id('mine')), OLD);
        assert.ok((await eventNamed(name)).events.includes(`databases.${DB}.collections.${other}.documents.${id('mine')}.update`));
      });
    }
  }

  test('taking a row from another row the caller may not update is refused', async () => {
    const { table: parents, other: children } = sideOf(RelationshipType.OneToMany, 'parent');
    await row(parents, 'theirs', { name: 'theirs' }, readOnly);
    await row(children, 'movable', { name: 'movable' }, own);
    await tables.updateRow({ databaseId: DB, tableId: parents, rowId: 'theirs', data: { link: ['movable'] } as never });
    await row(parents, 'taker', { name: 'taker' }, own);
    await rejectsWith(asAlice(parents, 'taker', { link: ['movable'] }), 401, 'user_unauthorized');
    await rejectsWith(asAlice(children, 'movable', { back: 'taker' }), 401, 'user_unauthorized');
    assert.deepEqual(await links(parents, 'theirs', 'link'), ['movable']);
    assert.deepEqual(await links(parents, 'taker', 'link'), []);
  });

  test('one-way: someone else\'s note is neither taken nor let go, the refused create leaves nothing', async () => {
    await row('notes', 'their-note', { name: 'theirs' }, readOnly);
    await row('owners', 'their-owner', { name: 'theirs', notes: ['their-note'] }, readOnly);
    await rejectsWith(alice.tables.createRow({ databaseId: DB, tableId: 'owners', rowId: 'grabber', data: { notes: ['their-note'] } as never }), 401, 'user_unauthorized');
    await rejectsWith(get('owners', 'grabber'), 404, 'row_not_found');
    assert.deepEqual(await links('owners', 'their-owner', 'notes'), ['their-note']);

    await row('notes', 'lent-note', { name: 'lent' }, readOnly);
    await row('owners', 'my-owner', { name: 'mine', notes: ['lent-note'] }, own);
    await rejectsWith(asAlice('owners', 'my-owner', { notes: [] }), 401, 'user_unauthorized');
    assert.deepEqual(await links('owners', 'my-owner', 'notes'), ['lent-note']);

    await row('notes', 'my-note', { name: 'mine' }, own);
    await drain();
    await asAlice('owners', 'my-owner', { notes: ['lent-note', 'my-note'] });
    assert.notEqual(await updatedAt('notes', 'my-note'), OLD);
    await eventNamed(`tablesdb.${DB}.tables.notes.rows.my-note.update`);
  });

  test('one-way: pointing at a row it may only read leaves that row as it was, so read is enough', async () => {
    await row('categories', 'news', { name: 'news' }, readOnly);
    await row('tags', 'daily', { name: 'daily' }, readOnly);
    await alice.tables.createRow({ databaseId: DB, tableId: 'posts', rowId: 'p-news', data: { category: 'news', tags: ['daily'] } as never });
    await asAlice('posts', 'p-news', { category: null, tags: [] });
    assert.equal(await updatedAt('categories', 'news'), OLD);
    assert.equal(await updatedAt('tags', 'daily'), OLD);
    await row('categories', 'secret', { name: 'secret' }, hidden);
    await rejectsWith(asAlice('posts', 'p-news', { category: 'secret' }), 400, 'relationship_value_invalid');
  });

  test('nested rows: a create needs create permission on the related table, a change needs update permission', async () => {
    await rejectsWith(alice.tables.createRow({ databaseId: DB, tableId: 'boxes', rowId: 'b-new', data: { tokens: [{ $id: 't-new', name: 'x' }] } as never }), 401, 'user_unauthorized');
    await rejectsWith(get('boxes', 'b-new'), 404, 'row_not_found');
    await rejectsWith(get('tokens', 't-new'), 404, 'row_not_found');
    // A row she may not read is absent for her: naming it asks to create it, refused alike.
    await row('tokens', 't-hidden', { name: 'hidden' }, hidden);
    await row('boxes', 'b0', { name: 'box' }, own);
    await rejectsWith(asAlice('boxes', 'b0', { tokens: [{ $id: 't-hidden', name: 'x' }] }), 401, 'user_unauthorized');
    await rejectsWith(asAlice('boxes', 'b0', { tokens: [{ $id: 't-absent', name: 'x' }] }), 401, 'user_unauthorized');
    assert.equal((await get('tokens', 't-hidden')).name, 'hidden');

    await row('tokens', 't-ro', { name: 'ro' }, readOnly);
    await row('tokens', 't-mine', { name: 'mine' }, own);
    await row('boxes', 'b1', { name: 'box', tokens: ['t-ro', 't-mine'] }, own);
    for (const id of ['t-ro', 't-mine']) await age('tokens', id);
    await rejectsWith(asAlice('boxes', 'b1', { name: 'renamed', tokens: [{ $id: 't-ro', name: 'changed' }, 't-mine'] }), 401, 'user_unauthorized');
    assert.equal((await get('tokens', 't-ro')).name, 'ro');
    assert.equal((await get('boxes', 'b1')).name, 'box');

    // Rows sent back as they were loaded keep their links without update permission; a changed one of hers is updated.
    await drain();
    await asAlice('boxes', 'b1', { tokens: [{ $id: 't-ro', name: 'ro' }, { $id: 't-mine', name: 'renamed' }] });
    assert.equal((await get('tokens', 't-mine')).name, 'renamed');
    assert.notEqual(await updatedAt('tokens', 't-mine'), OLD);
    assert.equal((await eventNamed(`tablesdb.${DB}.tables.tokens.rows.t-mine.update`)).payload.name, 'renamed');
    assert.equal(await updatedAt('tokens', 't-ro'), OLD);
  });

  test('onDelete cascade deletes only what the caller may delete, all or nothing', async () => {
    await rejectsWith(alice.tables.deleteRow({ databaseId: DB, tableId: 'boxes', rowId: 'b1' }), 401, 'user_unauthorized');
    assert.deepEqual(await links('boxes', 'b1', 'tokens'), ['t-mine', 't-ro']);
    await tables.updateRow({ databaseId: DB, tableId: 'boxes', rowId: 'b1', data: { tokens: ['t-mine'] } as never });
    await drain();
    await alice.tables.deleteRow({ databaseId: DB, tableId: 'boxes', rowId: 'b1' });
    await rejectsWith(get('tokens', 't-mine'), 404, 'row_not_found');
    await eventNamed(`tablesdb.${DB}.tables.tokens.rows.t-mine.delete`);
    assert.equal((await get('tokens', 't-ro')).name, 'ro');
  });

  test('onDelete setNull lets related rows go whoever may update them, each with a new $updatedAt and an update event', async () => {
    const { table: parents, other: children } = sideOf(RelationshipType.OneToMany, 'parent');
    await row(children, 'sn-theirs', { name: 'theirs' }, readOnly);
    await row(children, 'sn-mine', { name: 'mine' }, own);
    await row(parents, 'sn-parent', { name: 'parent', link: ['sn-theirs', 'sn-mine'] }, own);
    for (const id of ['sn-theirs', 'sn-mine']) await age(children, id);
    await drain();
    await alice.tables.deleteRow({ databaseId: DB, tableId: parents, rowId: 'sn-parent' });
    for (const id of ['sn-theirs', 'sn-mine']) {
      const child = await get(children, id, ['*', 'back.$id']);
      assert.equal(child.back, null);
      assert.notEqual(child.$updatedAt, OLD);
    }
    const seen = new Set<string>();
    while (seen.size < 2) {
      const event = await socket.nextOf('event');
      for (const id of ['sn-theirs', 'sn-mine']) if (event.data.events.includes(`tablesdb.${DB}.tables.${children}.rows.${id}.update`)) seen.add(id);
    }
  });

  test('onDelete restrict refuses while related rows exist and changes nothing', async () => {
    const { table: parents, other: children } = sideOf(RelationshipType.OneToMany, 'parent');
    await tables.updateRelationshipColumn({ databaseId: DB, tableId: parents, key: 'link', onDelete: RelationMutate.Restrict });
    await row(children, 'r-child', { name: 'child' }, own);
    await row(parents, 'r-parent', { name: 'parent', link: ['r-child'] }, own);
    await age(children, 'r-child');
    await rejectsWith(alice.tables.deleteRow({ databaseId: DB, tableId: parents, rowId: 'r-parent' }), 403, 'row_delete_restricted');
    assert.deepEqual(await links(parents, 'r-parent', 'link'), ['r-child']);
    assert.equal(await updatedAt(children, 'r-child'), OLD);
  });
});
