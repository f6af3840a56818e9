import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Permission, Query, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpUser, waitForSchema, type DatabaseUser } from './helpers.js';

const PROJECT = 'cursorperms';
const DB = 'db';
const T = 'notes';

describe('cursors and row permissions', () => {
  let server: TestServer;
  let admin: TablesDB;
  let ada: DatabaseUser;
  let bob: DatabaseUser;

  const list = (tables: TablesDB, queries: string[]) => tables.listRows({ databaseId: DB, tableId: T, queries });
  const ids = (rows: { $id: string }[]) => rows.map((row) => row.$id);

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    admin = new TablesDB(sdkClient(server, PROJECT, key));
    ada = await signUpUser(server, PROJECT, key, 'Ada');
    bob = await signUpUser(server, PROJECT, key, 'Bob');
    await admin.create({ databaseId: DB, name: 'DB' });
    await admin.createTable({ databaseId: DB, tableId: T, name: T, permissions: [Permission.create(Role.users())], rowSecurity: true });
    await admin.createStringColumn({ databaseId: DB, tableId: T, key: 'text', size: 100, required: false });
    await waitForSchema(admin, DB, T);
    // Created in this order, so the default order (by sequence) interleaves the owners.
    await ada.tables.createRow({ databaseId: DB, tableId: T, rowId: 'ada-1', data: { text: 'a1' } });
    await bob.tables.createRow({ databaseId: DB, tableId: T, rowId: 'bob-private', data: { text: 'b' } });
    await ada.tables.createRow({ databaseId: DB, tableId: T, rowId: 'ada-2', data: { text: 'a2' } });
  });
  after(() => server.stop());

  test("another user's private row is no cursor: it does not exist for the caller", async () => {
    await rejectsWith(list(ada.tables, [Query.cursorAfter('bob-private')]), 400, 'general_cursor_not_found');
    await rejectsWith(list(ada.tables, [Query.cursorBefore('bob-private')]), 400, 'general_cursor_not_found');
    assert.deepEqual(ids((await list(ada.tables, [Query.cursorAfter('ada-1')])).rows), ['ada-2']);
  });

  test('the owner and an API key may use it', async () => {
    assert.deepEqual(ids((await list(bob.tables, [Query.cursorBefore('bob-private')])).rows), []);
    assert.deepEqual(ids((await list(admin, [Query.cursorAfter('bob-private')])).rows), ['ada-2']);
    assert.deepEqual(ids((await list(admin, [Query.cursorBefore('bob-private')])).rows), ['ada-1']);
  });
});
