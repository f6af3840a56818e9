import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpUser, waitForSchema, type DatabaseUser } from './helpers.js';

const PROJECT = 'perms';
const DB = 'db';

describe('collection and document permissions', () => {
  let server: TestServer;
  let admin: TablesDB;
  let ada: DatabaseUser;
  let bob: DatabaseUser;
  let guest: Databases;

  const ids = (rows: { $id: string }[]) => rows.map((row) => row.$id);

  async function table(tableId: string, permissions: string[], rowSecurity: boolean): Promise<void> {
    await admin.createTable({ databaseId: DB, tableId, name: tableId, permissions, rowSecurity });
    await admin.createStringColumn({ databaseId: DB, tableId, key: 'text', size: 100, required: false });
    await waitForSchema(admin, DB, tableId);
  }

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    admin = new TablesDB(sdkClient(server, PROJECT, key));
    ada = await signUpUser(server, PROJECT, key, 'Ada');
    bob = await signUpUser(server, PROJECT, key, 'Bob');
    guest = new Databases(sdkClient(server, PROJECT));
    await admin.create({ databaseId: DB, name: 'DB' });
    await table('notes', [Permission.create(Role.users())], true);
    await table('wall', [Permission.read(Role.any()), Permission.create(Role.users()), Permission.update(Role.users())], false);
    await table('closed', [], false);
  });
  after(() => server.stop());

  test('a user\'s row defaults to read, update and delete for that user alone', async () => {
    const row = await ada.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-private', data: { text: 'mine' } });
    const self = `user:${ada.userId}`;
    assert.deepEqual([...row.$permissions], [`read("${self}")`, `update("${self}")`, `delete("${self}")`]);
    assert.equal((await ada.tables.getRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-private' })).text, 'mine');
    await rejectsWith(bob.tables.getRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-private' }), 404, 'row_not_found');
    await rejectsWith(bob.databases.getDocument({ databaseId: DB, collectionId: 'notes', documentId: 'ada-private' }), 404, 'document_not_found');
    await rejectsWith(bob.tables.updateRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-private', data: { text: 'x' } as never }), 401, 'user_unauthorized');
    await rejectsWith(bob.tables.deleteRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-private' }), 401, 'user_unauthorized');
    await rejectsWith(guest.getDocument({ databaseId: DB, collectionId: 'notes', documentId: 'ada-private' }), 404, 'document_not_found');
  });

  test('rows shared with any or users are readable by them; lists filter in the query', async () => {
    await ada.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-public', data: { text: 'hi' }, permissions: [Permission.read(Role.any())] });
    await ada.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-users', data: { text: 'members' }, permissions: [Permission.read(Role.users()), Permission.update(Role.users())] });
    await bob.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'bob-private', data: { text: 'bob' } });

    assert.deepEqual(ids((await ada.tables.listRows({ databaseId: DB, tableId: 'notes' })).rows), ['ada-private', 'ada-public', 'ada-users']);
    const bobs = await bob.tables.listRows({ databaseId: DB, tableId: 'notes' });
    assert.deepEqual(ids(bobs.rows), ['ada-public', 'ada-users', 'bob-private']);
    assert.equal(bobs.total, 3);
    assert.deepEqual(ids((await guest.listDocuments({ databaseId: DB, collectionId: 'notes' })).documents), ['ada-public']);
    assert.deepEqual(ids((await admin.listRows({ databaseId: DB, tableId: 'notes' })).rows), ['ada-private', 'ada-public', 'ada-users', 'bob-private']);

    await rejectsWith(bob.tables.updateRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-public', data: { text: 'x' } as never }), 401, 'user_unauthorized');
    const changed = await bob.tables.updateRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-users', data: { text: 'edited by bob' } });
    assert.equal(changed.text, 'edited by bob');
  });

  test('a client may only grant roles it holds', async () => {
    await rejectsWith(
      ada.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'gift', data: {}, permissions: [Permission.read(Role.user(bob.userId))] }),
      401,
      'user_unauthorized',
    );
    await rejectsWith(
      ada.tables.updateRow({ databaseId: DB, tableId: 'notes', rowId: 'ada-private', permissions: [Permission.delete(Role.team('t1'))] }),
      401,
      'user_unauthorized',
    );
    // A key grants anything, and a key's row has no permissions unless given.
    const row = await admin.createRow({ databaseId: DB, tableId: 'notes', rowId: 'by-key', data: {} });
    assert.deepEqual([...row.$permissions], []);
    await rejectsWith(ada.tables.getRow({ databaseId: DB, tableId: 'notes', rowId: 'by-key' }), 404, 'row_not_found');
    await admin.updateRow({ databaseId: DB, tableId: 'notes', rowId: 'by-key', permissions: [Permission.read(Role.user(bob.userId))] });
    assert.equal((await bob.tables.getRow({ databaseId: DB, tableId: 'notes', rowId: 'by-key' })).$id, 'by-key');
    await rejectsWith(ada.tables.getRow({ databaseId: DB, tableId: 'notes', rowId: 'by-key' }), 404, 'row_not_found');
  });

  test('create is checked on the table: guests may not create where only users may', async () => {
    await rejectsWith(guest.createDocument({ databaseId: DB, collectionId: 'notes', documentId: 'g', data: {} }), 401, 'user_unauthorized');
    await rejectsWith(ada.tables.createRow({ databaseId: DB, tableId: 'closed', rowId: 'c', data: {} }), 401, 'user_unauthorized');
  });

  test('without row security only the table\'s permissions count', async () => {
    await ada.tables.createRow({ databaseId: DB, tableId: 'wall', rowId: 'post', data: { text: 'hello' }, permissions: [] });
    assert.equal((await guest.getDocument({ databaseId: DB, collectionId: 'wall', documentId: 'post' })).text, 'hello');
    assert.deepEqual(ids((await bob.tables.listRows({ databaseId: DB, tableId: 'wall' })).rows), ['post']);
    // Update is granted to users by the table; delete to no one.
    assert.equal((await bob.tables.updateRow({ databaseId: DB, tableId: 'wall', rowId: 'post', data: { text: 'bob was here' } })).text, 'bob was here');
    await rejectsWith(ada.tables.deleteRow({ databaseId: DB, tableId: 'wall', rowId: 'post' }), 401, 'user_unauthorized');
    await rejectsWith(guest.updateDocument({ databaseId: DB, collectionId: 'wall', documentId: 'post', data: { text: 'x' } as never }), 401, 'user_unauthorized');
  });

  test('a table nobody may read: lists are unauthorized, rows not found; keys bypass', async () => {
    await admin.createRow({ databaseId: DB, tableId: 'closed', rowId: 'secret', data: { text: 's' }, permissions: [Permission.read(Role.any())] });
    await rejectsWith(ada.tables.listRows({ databaseId: DB, tableId: 'closed' }), 401, 'user_unauthorized');
    // Row permissions do not count while row security is off.
    await rejectsWith(ada.tables.getRow({ databaseId: DB, tableId: 'closed', rowId: 'secret' }), 404, 'row_not_found');
    assert.equal((await admin.getRow({ databaseId: DB, tableId: 'closed', rowId: 'secret' })).text, 's');
    await admin.deleteRow({ databaseId: DB, tableId: 'closed', rowId: 'secret' });
  });

  test('a disabled table is hidden from clients', async () => {
    await admin.updateTable({ databaseId: DB, tableId: 'wall', name: 'wall', enabled: false });
    await rejectsWith(bob.tables.listRows({ databaseId: DB, tableId: 'wall' }), 404, 'table_not_found');
    assert.equal((await admin.listRows({ databaseId: DB, tableId: 'wall' })).total, 1);
  });
});
