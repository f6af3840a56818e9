import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, Query, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { signUpUser, waitForSchema, type DatabaseUser, startDatabaseServer } from './helpers.js';

const PROJECT = 'bulk';
const DB = 'main';
const T = { databaseId: DB, tableId: 'items' };
const C = { databaseId: DB, collectionId: 'items' };

type Item = { $id: string; name: string; qty: number | null; $permissions: string[] };
const idsOf = (list: { $id: string }[]) => list.map((item) => item.$id);

describe('bulk create, upsert, update and delete', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  let alice: DatabaseUser;
  let key: string;

  before(async () => {
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ ...T, name: 'Items', permissions: [Permission.create(Role.users()), Permission.read(Role.users())], rowSecurity: false });
    await tables.createStringColumn({ ...T, key: 'name', size: 20, required: true });
    await tables.createIntegerColumn({ ...T, key: 'qty', required: false, max: 100 });
    await tables.createStringColumn({ ...T, key: 'code', size: 10, required: false });
    // An index waits for its columns to be available.
    await waitForSchema(tables, DB, 'items');
    await tables.createIndex({ ...T, key: 'code_unique', type: 'unique' as never, columns: ['code'] });
    await waitForSchema(tables, DB, 'items');
    alice = await signUpUser(server, PROJECT, key, 'Alice');
  });
  after(() => server.stop());

  test('createRows creates every row, with ids, permissions and defaults', async () => {
    const result = await tables.createRows({
      ...T,
      rows: [
        { $id: 'a', name: 'A', qty: 1, $permissions: [Permission.read(Role.any())] },
        { $id: 'b', name: 'B', qty: 2 },
        { name: 'C', qty: 3 },
      ],
    });
    assert.equal(result.total, 3);
    assert.deepEqual(idsOf(result.rows).slice(0, 2), ['a', 'b']);
    assert.ok(result.rows[2]!.$id.length > 10);
    assert.deepEqual([...result.rows[0]!.$permissions], ['read("any")']);
    assert.equal(result.rows[1]!.$tableId, 'items');
    const docs = await databases.createDocuments({ ...C, documents: [{ $id: 'd', name: 'D', $createdAt: '2020-01-01T00:00:00Z' }] });
    assert.equal(docs.documents[0]!.$createdAt, '2020-01-01T00:00:00.000+00:00');
    assert.equal((await tables.listRows({ ...T, queries: [Query.limit(100)] })).total, 4);
  });

  test('one invalid or clashing row rejects the whole batch', async () => {
    await rejectsWith(tables.createRows({ ...T, rows: [{ $id: 'e', name: 'E' }, { $id: 'f', qty: 1 }] }), 400, 'row_invalid_structure');
    await rejectsWith(tables.createRows({ ...T, rows: [{ $id: 'e', name: 'E' }, { $id: 'a', name: 'A2' }] }), 409, 'row_already_exists');
    await rejectsWith(databases.createDocuments({ ...C, documents: [{ $id: 'e', name: 'E' }, { $id: 'e', name: 'E2' }] }), 409, 'document_already_exists');
    await rejectsWith(tables.createRows({ ...T, rows: [{ $id: 'e', name: 'E', code: 'x' }, { $id: 'g', name: 'G', code: 'x' }] }), 409, 'row_already_exists');
    await rejectsWith(tables.getRow({ ...T, rowId: 'e' }), 404, 'row_not_found');
    assert.equal((await tables.listRows({ ...T })).total, 4);
  });

  test('upsertRows creates new rows and partially updates existing ones', async () => {
    const result = await tables.upsertRows({ ...T, rows: [{ $id: 'a', qty: 10 }, { $id: 'n', name: 'New', qty: 5 }] });
    assert.deepEqual(idsOf(result.rows), ['a', 'n']);
    const a = (await tables.getRow({ ...T, rowId: 'a' })) as unknown as Item;
    assert.equal(a.name, 'A');
    assert.equal(a.qty, 10);
    assert.deepEqual([...a.$permissions], ['read("any")']);
    await rejectsWith(databases.upsertDocuments({ ...C, documents: [{ $id: 'a', qty: 20 }, { $id: 'bad', qty: 101, name: 'x' }] }), 400, 'document_invalid_structure');
    assert.equal(((await tables.getRow({ ...T, rowId: 'a' })) as unknown as Item).qty, 10);
    await rejectsWith(tables.getRow({ ...T, rowId: 'bad' }), 404, 'row_not_found');
  });

  test('updateRows sets data on every row the queries match', async () => {
    const result = await tables.updateRows({ ...T, data: { qty: 50 }, queries: [Query.lessThan('qty', 5), Query.orderDesc('qty')] });
    assert.deepEqual(result.rows.map((row) => row.name), ['C', 'B']);
    assert.equal(result.total, 2);
    assert.ok(result.rows.every((row) => row.qty === 50));
    const all = await tables.listRows({ ...T, queries: [Query.equal('qty', 50)] });
    assert.equal(all.total, 2);
    // Without queries every row is updated; a limit bounds it.
    const limited = await databases.updateDocuments({ ...C, data: { qty: 7 }, queries: [Query.orderAsc('$sequence'), Query.limit(1)] });
    assert.deepEqual(idsOf(limited.documents), ['a']);
    await rejectsWith(tables.updateRows({ ...T, data: { qty: 500 } }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRows({ ...T, data: { code: 'same' } }), 409, 'row_already_exists');
    assert.equal((await tables.listRows({ ...T, queries: [Query.isNotNull('code')] })).total, 0);
    await rejectsWith(tables.updateRows({ ...T, data: { qty: 1 }, queries: ['not json'] }), 400, 'general_query_invalid');
  });

  test('deleteRows removes every row the queries match and answers with them', async () => {
    const result = await tables.deleteRows({ ...T, queries: [Query.equal('qty', 50)] });
    assert.equal(result.total, 2);
    assert.equal(result.rows.length, 2);
    await rejectsWith(tables.getRow({ ...T, rowId: 'b' }), 404, 'row_not_found');
    const rest = await databases.deleteDocuments({ ...C });
    assert.deepEqual(idsOf(rest.documents).sort(), ['a', 'd', 'n']);
    assert.equal((await tables.listRows({ ...T })).total, 0);
  });

  test('list takes a ttl of 0 to 86400 seconds', async () => {
    const path = '/tablesdb/main/tables/items/rows';
    assert.equal((await server.request(`${path}?ttl=30`, { project: PROJECT, key })).status, 200);
    const refused = await server.request(`${path}?ttl=-1`, { project: PROJECT, key });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { type: string }).type, 'general_argument_invalid');
  });

  test('bulk operations are for API keys only', async () => {
    await rejectsWith(alice.tables.createRows({ ...T, rows: [{ $id: 'u', name: 'U' }] }), 401, 'general_unauthorized_scope');
    await rejectsWith(alice.tables.upsertRows({ ...T, rows: [{ $id: 'u', name: 'U' }] }), 401, 'general_unauthorized_scope');
    await rejectsWith(alice.tables.updateRows({ ...T, data: { qty: 1 } }), 401, 'general_unauthorized_scope');
    await rejectsWith(alice.databases.deleteDocuments({ ...C }), 401, 'general_unauthorized_scope');
    // The single-row create on the same route still works for a client.
    assert.equal((await alice.tables.createRow({ ...T, rowId: 'u', data: { name: 'U' } as never })).name, 'U');
  });
});
