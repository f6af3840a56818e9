import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, ID, Permission, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { signUpUser, waitForSchema, type DatabaseUser, startDatabaseServer } from './helpers.js';

const PROJECT = 'dates';
const DB = 'main';
const T = { databaseId: DB, tableId: 'notes' };

describe('$createdAt and $updatedAt chosen by the writer', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  let alice: DatabaseUser;

  before(async () => {
    let key: string;
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ ...T, name: 'Notes', permissions: [Permission.create(Role.users())], rowSecurity: true });
    await tables.createStringColumn({ ...T, key: 'text', size: 50, required: false });
    await waitForSchema(tables, DB, 'notes');
    alice = await signUpUser(server, PROJECT, key, 'Alice');
  });
  after(() => server.stop());

  test('an API key sets both dates on create, and either on update', async () => {
    const row = await tables.createRow({ ...T, rowId: 'old', data: { text: 'a', $createdAt: '2020-01-02T03:04:05.000Z', $updatedAt: '2021-01-02T03:04:05Z' } });
    assert.equal(row.$createdAt, '2020-01-02T03:04:05.000+00:00');
    assert.equal(row.$updatedAt, '2021-01-02T03:04:05.000+00:00');
    assert.equal(typeof row.$sequence, 'string');
    const updated = await databases.updateDocument({ databaseId: DB, collectionId: 'notes', documentId: 'old', data: { $createdAt: '2019-12-31T00:00:00Z' } });
    assert.equal(updated.$createdAt, '2019-12-31T00:00:00.000+00:00');
    assert.ok(updated.$updatedAt > '2025-01-01', 'without $updatedAt the update stamps now');
    const fetched = await tables.getRow({ ...T, rowId: 'old' });
    assert.equal(fetched.$createdAt, '2019-12-31T00:00:00.000+00:00');
  });

  test('without dates the server stamps both with the same instant', async () => {
    const row = await tables.createRow({ ...T, rowId: ID.unique(), data: { text: 'b' } });
    assert.equal(row.$createdAt, row.$updatedAt);
  });

  test('a malformed date from a key is an invalid structure', async () => {
    await rejectsWith(tables.createRow({ ...T, rowId: ID.unique(), data: { $createdAt: 'yesterday' } }), 400, 'row_invalid_structure');
    await rejectsWith(databases.createDocument({ databaseId: DB, collectionId: 'notes', documentId: ID.unique(), data: { $updatedAt: 5 } as never }), 400, 'document_invalid_structure');
  });

  test('a signed-in client\'s dates are dropped without a word, as in Appwrite, and the server stamps its own', async () => {
    const before = new Date(Date.now() - 60_000).toISOString();
    const made = await alice.tables.createRow({ ...T, rowId: ID.unique(), data: { text: 'c', $createdAt: '2020-01-01T00:00:00Z', $updatedAt: '2020-01-01T00:00:00Z' } as never });
    assert.ok(made.$createdAt > before && made.$updatedAt === made.$createdAt, made.$createdAt);
    const updated = await alice.databases.updateDocument({ databaseId: DB, collectionId: 'notes', documentId: made.$id, data: { text: 'e', $createdAt: '2022-08-01 13:09:23.040', $updatedAt: '2022-08-01 13:09:23.050' } });
    assert.equal(updated.text, 'e');
    assert.equal(updated.$createdAt, made.$createdAt);
    assert.ok(updated.$updatedAt >= made.$updatedAt);
    // Read-only keys ($sequence, $databaseId, $tableId) are dropped too.
    const again = await alice.tables.updateRow({ ...T, rowId: made.$id, data: { $sequence: 9999, $databaseId: 'other', $tableId: 'other', text: 'f' } as never });
    assert.deepEqual([again.$sequence, again.$databaseId, again.$tableId, again.text], [made.$sequence, DB, 'notes', 'f']);
  });

  test('a key\'s dates take the forms a datetime attribute takes; no zone is UTC', async () => {
    const row = await tables.createRow({ ...T, rowId: ID.unique(), data: { text: 'g', $createdAt: '2022-08-01 13:09:23.040', $updatedAt: '1975-06-12 14:12:55 America/New_York' } });
    assert.equal(row.$createdAt, '2022-08-01T13:09:23.040+00:00');
    assert.equal(row.$updatedAt, '1975-06-12T18:12:55.000+00:00');
  });
});
