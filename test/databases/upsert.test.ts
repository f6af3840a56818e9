import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { AppwriteException, Databases, ID, Permission, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpUser, waitForSchema, type DatabaseUser, startDatabaseServer } from './helpers.js';

const PROJECT = 'upserts';
const DB = 'main';
const T = { databaseId: DB, tableId: 'items' };
const C = { databaseId: DB, collectionId: 'items' };

describe('upsert one document or row', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  let guest: TablesDB;
  let alice: DatabaseUser;
  let bob: DatabaseUser;

  let key: string;

  before(async () => {
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    guest = new TablesDB(sdkClient(server, PROJECT));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ ...T, name: 'Items', permissions: [Permission.create(Role.users())], rowSecurity: true });
    await tables.createStringColumn({ ...T, key: 'name', size: 20, required: true });
    await tables.createIntegerColumn({ ...T, key: 'qty', required: false, max: 100 });
    await waitForSchema(tables, DB, 'items');
    alice = await signUpUser(server, PROJECT, key, 'Alice');
    bob = await signUpUser(server, PROJECT, key, 'Bob');
  });
  after(() => server.stop());

  test('creates when the id is free, then updates partially', async () => {
    const created = await tables.upsertRow({ ...T, rowId: 'a', data: { name: 'Apple', qty: 1 } });
    assert.equal(created.name, 'Apple');
    assert.deepEqual([...created.$permissions], []);
    const updated = await databases.upsertDocument({ ...C, documentId: 'a', data: { qty: 2 } });
    assert.equal(updated.name, 'Apple');
    assert.equal(updated.qty, 2);
    assert.equal(updated.$createdAt, created.$createdAt);
    assert.equal(updated.$sequence, created.$sequence);
    assert.equal((await tables.getRow({ ...T, rowId: 'a' })).qty, 2);
  });

  test('a client creating through upsert gets its default permissions; the update path needs update permission', async () => {
    const id = ID.unique();
    const mine = await alice.tables.upsertRow({ ...T, rowId: id, data: { name: 'Pear' } as never });
    assert.deepEqual([...mine.$permissions].sort(), [`delete("user:${alice.userId}")`, `read("user:${alice.userId}")`, `update("user:${alice.userId}")`]);
    assert.equal((await alice.tables.upsertRow({ ...T, rowId: id, data: { qty: 7 } as never })).qty, 7);
    await rejectsWith(bob.tables.upsertRow({ ...T, rowId: id, data: { qty: 9 } as never }), 401, 'user_unauthorized');
    assert.equal((await tables.getRow({ ...T, rowId: id })).qty, 7);
  });

  test('creation needs the table create permission', async () => {
    await rejectsWith(guest.upsertRow({ ...T, rowId: ID.unique(), data: { name: 'Nope' } as never }), 401, 'user_unauthorized');
  });

  test('a client may not grant roles it lacks', async () => {
    await rejectsWith(
      alice.tables.upsertRow({ ...T, rowId: ID.unique(), data: { name: 'X' } as never, permissions: [Permission.read(Role.user(bob.userId))] }),
      401,
      'user_unauthorized',
    );
  });

  test('validation applies on both paths and a failed upsert leaves no trace', async () => {
    await rejectsWith(tables.upsertRow({ ...T, rowId: 'b', data: { qty: 1 } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.getRow({ ...T, rowId: 'b' }), 404, 'row_not_found');
    await rejectsWith(databases.upsertDocument({ ...C, documentId: 'a', data: { qty: 101 } as never }), 400, 'document_invalid_structure');
    assert.equal((await tables.getRow({ ...T, rowId: 'a' })).qty, 2);
  });

  test('replacing permissions through upsert', async () => {
    const row = await tables.upsertRow({ ...T, rowId: 'a', data: {}, permissions: [Permission.read(Role.any())] });
    assert.deepEqual([...row.$permissions], ['read("any")']);
    assert.equal((await guest.getRow({ ...T, rowId: 'a' })).name, 'Apple');
  });

  test('answers 200 whether it creates or updates, and 201 only when staged in a transaction, as Appwrite does', async () => {
    const put = (path: string, body: unknown) =>
      server.request(path, { method: 'PUT', project: PROJECT, key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const rowPath = `/tablesdb/${DB}/tables/items/rows`;
    assert.equal((await put(`${rowPath}/s1`, { data: { name: 'Made' } })).status, 200);
    assert.equal((await put(`/databases/${DB}/collections/items/documents/s1`, { data: { qty: 3 } })).status, 200);
    const bulk = await put(rowPath, { rows: [{ $id: 's2', name: 'Bulk' }] });
    assert.equal(bulk.status, 200);
    assert.equal(((await bulk.json()) as { total: number }).total, 1);
    const transaction = await tables.createTransaction();
    assert.equal((await put(`${rowPath}/s3`, { data: { name: 'Staged' }, transactionId: transaction.$id })).status, 201);
    assert.equal((await put(rowPath, { rows: [{ $id: 's4', name: 'Staged' }], transactionId: transaction.$id })).status, 200);
    await tables.updateTransaction({ transactionId: transaction.$id, rollback: true });
  });
  test('X-Appwrite-Timestamp: a write based on an older read is refused with 409, a newer one applies', async () => {
    const row = await tables.createRow({ ...T, rowId: 'stamped', data: { name: 'First', qty: 1 } });
    const before = new Date(Date.parse(row.$updatedAt) - 1000).toISOString();
    const since = (timestamp: string) => ({
      tables: new TablesDB(sdkClient(server, PROJECT, key).addHeader('X-Appwrite-Timestamp', timestamp)),
      databases: new Databases(sdkClient(server, PROJECT, key).addHeader('X-Appwrite-Timestamp', timestamp)),
    });
    const stale = since(before);
    await rejectsWith(stale.tables.updateRow({ ...T, rowId: 'stamped', data: { qty: 2 } as never }), 409, 'row_update_conflict');
    await rejectsWith(stale.databases.updateDocument({ ...C, documentId: 'stamped', data: { qty: 2 } as never }), 409, 'document_update_conflict');
    await rejectsWith(stale.tables.upsertRow({ ...T, rowId: 'stamped', data: { qty: 2 } as never }), 409, 'row_update_conflict');
    await rejectsWith(stale.tables.deleteRow({ ...T, rowId: 'stamped' }), 409, 'row_update_conflict');
    assert.equal((await tables.getRow({ ...T, rowId: 'stamped' })).qty, 1, 'nothing was written');
    // A creation has nothing to conflict with.
    assert.equal((await stale.tables.upsertRow({ ...T, rowId: 'stamped-new', data: { name: 'New' } })).name, 'New');

    // Read at the last change (the same instant, in another accepted form), the write goes through.
    const fresh = since(row.$updatedAt.replace('T', ' ').replace('+00:00', ' UTC'));
    const updated = await fresh.tables.updateRow({ ...T, rowId: 'stamped', data: { qty: 3 } as never });
    assert.equal(updated.qty, 3);
    await rejectsWith(fresh.tables.deleteRow({ ...T, rowId: 'stamped' }), 409, 'row_update_conflict');
    await since(updated.$updatedAt).tables.deleteRow({ ...T, rowId: 'stamped' });

    const invalid = since('not a time');
    await rejectsWith(invalid.tables.updateRow({ ...T, rowId: 'stamped-new', data: { qty: 4 } as never }), 400, 'general_argument_invalid', 'Invalid X-Appwrite-Timestamp header value');
  });

  // SQLite runs one transaction at a time on one connection: no write can land between a
  // request's locked read and its write there, so only PostgreSQL has an interleaving to show.
  test('X-Appwrite-Timestamp is compared under the write lock: a change landing after the request first read the row is caught', { skip: TEST_DATABASE_URL ? false : 'PostgreSQL only (PLINTH_TEST_DB)' }, async () => {
    const client = new pg.Client({ connectionString: server.database.url });
    await client.connect();
    try {
      const schema = `"project_${PROJECT}"`;
      const { rows: [collection] } = await client.query(`select seq from ${schema}.collections where id = 'items'`);
      const table = `${schema}.docs_${Number(collection.seq)}`;
      /** Holds the row's lock while `write` starts and waits on it, changes the row meanwhile, then lets go. */
      const changedWhileWaiting = async (rowId: string, write: () => Promise<unknown>) => {
        await client.query('begin');
        await client.query(`select 1 from ${table} where _uid = $1 for update`, [rowId]);
        let settled = false;
        const outcome = write().then((value) => ({ value }), (error: unknown) => ({ error })).finally(() => (settled = true));
        // The write has read the row (unlocked) and now waits for the lock.
        while (!settled && Number((await client.query(`select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rows[0].count) === 0) {
          await new Promise((resolve) => setImmediate(resolve));
        }
        const later = new Date(Date.now() + 60_000).toISOString();
        await client.query(`update ${table} set _updated_at = $1 where _uid = $2`, [later, rowId]);
        await client.query('commit');
        return outcome;
      };
      for (const rowId of ['raced-update', 'raced-upsert', 'raced-delete']) await tables.createRow({ ...T, rowId, data: { name: rowId, qty: 1 } });
      const readNow = new TablesDB(sdkClient(server, PROJECT, key).addHeader('X-Appwrite-Timestamp', new Date().toISOString()));
      const attempts = {
        'raced-update': () => readNow.updateRow({ ...T, rowId: 'raced-update', data: { qty: 2 } as never }),
        'raced-upsert': () => readNow.upsertRow({ ...T, rowId: 'raced-upsert', data: { qty: 2 } as never }),
        'raced-delete': () => readNow.deleteRow({ ...T, rowId: 'raced-delete' }),
      };
      for (const [rowId, attempt] of Object.entries(attempts)) {
        const outcome = await changedWhileWaiting(rowId, attempt);
        assert.ok('error' in outcome, `${rowId}: the write based on the older read was refused`);
        assert.equal((outcome.error as AppwriteException).code, 409);
        assert.equal((outcome.error as AppwriteException).type, 'row_update_conflict');
        assert.equal((await tables.getRow({ ...T, rowId })).qty, 1, `${rowId}: nothing was written`);
      }
    } finally {
      await client.end();
    }
  });
});
