import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, Query, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { signUpUser, startDatabaseServer, waitForSchema, type DatabaseUser } from './helpers.js';
import { findAttributeSeq } from './in-process-helpers.js';
import { LEGACY_API, TABLES_API } from '../../src/services/databases/api-names.js';
import { createAttribute } from '../../src/services/databases/attributes.js';
import { createCollection } from '../../src/services/databases/collections.js';
import { createDatabase } from '../../src/services/databases/databases.js';
import { runSchemaJob } from '../../src/services/databases/index.js';
import { createTransaction } from '../../src/services/databases/transactions.js';
import { commitTransaction } from '../../src/services/databases/transactions-commit.js';
import { stageWrite } from '../../src/services/databases/transactions-staging.js';
import { setTransactionExpiry } from '../../src/data/documents/transaction-store.js';
import { serverCaller } from '../../src/core/caller.js';

const PROJECT = 'txn';
const DB = 'bank';
const T = { databaseId: DB, tableId: 'accounts' };
const C = { databaseId: DB, collectionId: 'accounts' };
const idsOf = (list: { $id: string }[]) => list.map((item) => item.$id).sort();

describe('transactions through the SDK', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  let key: string;
  let alice: DatabaseUser;
  let bob: DatabaseUser;

  const rowIds = async () => idsOf((await tables.listRows({ ...T, queries: [Query.limit(100)] })).rows);
  const balanceOf = async (rowId: string) => (await tables.getRow({ ...T, rowId })).balance as number;

  before(async () => {
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Bank' });
    await tables.createTable({ ...T, name: 'Accounts', permissions: [Permission.create(Role.users()), Permission.read(Role.users())], rowSecurity: true });
    await tables.createStringColumn({ ...T, key: 'name', size: 20, required: true });
    await tables.createIntegerColumn({ ...T, key: 'balance', required: false, min: 0, max: 1000, xdefault: 0 });
    await tables.createStringColumn({ ...T, key: 'code', size: 10, required: false });
    await waitForSchema(tables, DB, 'accounts');
    await tables.createIndex({ ...T, key: 'code_unique', type: 'unique' as never, columns: ['code'] });
    await waitForSchema(tables, DB, 'accounts');
    alice = await signUpUser(server, PROJECT, key, 'Alice');
    bob = await signUpUser(server, PROJECT, key, 'Bob');
    await tables.createRow({ ...T, rowId: 'base', data: { name: 'Base', balance: 100, code: 'B' } });
  });
  after(() => server.stop());

  test('createTransaction answers a pending transaction that expires after its ttl', async () => {
    const txn = await tables.createTransaction();
    assert.equal(txn.status, 'pending');
    assert.equal(txn.operations, 0);
    assert.equal(Date.parse(txn.expiresAt) - Date.parse(txn.$createdAt), 300_000);
    const short = await databases.createTransaction({ ttl: 60 });
    assert.equal(Date.parse(short.expiresAt) - Date.parse(short.$createdAt), 60_000);
    await rejectsWith(tables.createTransaction({ ttl: 59 }), 400, 'general_argument_invalid');
    await rejectsWith(tables.createTransaction({ ttl: 3601 }), 400, 'general_argument_invalid');
    assert.equal((await tables.getTransaction({ transactionId: txn.$id })).$id, txn.$id);
    // Both APIs see the same transactions.
    assert.equal((await databases.getTransaction({ transactionId: txn.$id })).status, 'pending');
    const listed = await tables.listTransactions({ queries: [Query.equal('$id', [txn.$id, short.$id])] });
    assert.deepEqual(idsOf(listed.transactions), [txn.$id, short.$id].sort());
    await rejectsWith(tables.getTransaction({ transactionId: 'missing' }), 404, 'transaction_not_found');
    await rejectsWith(tables.listTransactions({ queries: [Query.equal('nope', ['x'])] }), 400, 'general_query_invalid');
    await tables.deleteTransaction({ transactionId: short.$id });
    await rejectsWith(tables.getTransaction({ transactionId: short.$id }), 404, 'transaction_not_found');
  });

  test('writes with a transactionId are staged: invisible until the commit, then all there', async () => {
    await tables.createRow({ ...T, rowId: 'gone', data: { name: 'Gone' } });
    const { $id: transactionId } = await tables.createTransaction();
    const staged = await tables.createRow({ ...T, rowId: 'new1', data: { name: 'New', balance: 5 }, transactionId });
    assert.equal(staged.$id, 'new1');
    assert.equal(staged.balance, 5);
    await tables.updateRow({ ...T, rowId: 'new1', data: { name: 'New one' }, transactionId });
    await tables.incrementRowColumn({ ...T, rowId: 'base', column: 'balance', value: 10, transactionId });
    await tables.decrementRowColumn({ ...T, rowId: 'new1', column: 'balance', value: 2, transactionId });
    await tables.upsertRow({ ...T, rowId: 'new2', data: { name: 'Upserted' }, transactionId });
    await tables.deleteRow({ ...T, rowId: 'gone', transactionId });
    assert.equal((await tables.getTransaction({ transactionId })).operations, 6);

    // Outside the transaction nothing changed yet.
    await rejectsWith(tables.getRow({ ...T, rowId: 'new1' }), 404, 'row_not_found');
    assert.equal(await balanceOf('base'), 100);
    assert.ok((await rowIds()).includes('gone'));

    const committed = await tables.updateTransaction({ transactionId, commit: true });
    assert.equal(committed.status, 'committed');
    const row = await tables.getRow({ ...T, rowId: 'new1' });
    assert.equal(row.name, 'New one');
    assert.equal(row.balance, 3);
    assert.equal(await balanceOf('base'), 110);
    assert.equal((await tables.getRow({ ...T, rowId: 'new2' })).name, 'Upserted');
    assert.ok(!(await rowIds()).includes('gone'));
    // A committed transaction takes no more writes and cannot commit twice.
    await rejectsWith(tables.createRow({ ...T, rowId: 'late', data: { name: 'Late' } as never, transactionId }), 400, 'transaction_not_ready');
    await rejectsWith(tables.updateTransaction({ transactionId, commit: true }), 400, 'transaction_not_ready');
  });

  test('createOperations stages a batch in either API, and the commit applies it', async () => {
    const { $id: transactionId } = await databases.createTransaction();
    const txn = await databases.createOperations({
      transactionId,
      operations: [
        { action: 'create', databaseId: DB, collectionId: 'accounts', documentId: 'op1', data: { name: 'Op one', balance: 1 } },
        { action: 'update', databaseId: DB, collectionId: 'accounts', documentId: 'op1', data: { name: 'Op one!' } },
        { action: 'increment', databaseId: DB, collectionId: 'accounts', documentId: 'op1', data: { attribute: 'balance', value: 4 } },
      ],
    });
    assert.equal(txn.operations, 3);
    const more = await tables.createOperations({
      transactionId,
      operations: [{ action: 'upsert', databaseId: DB, tableId: 'accounts', rowId: 'op2', data: { name: 'Op two' } }],
    });
    assert.equal(more.operations, 4);
    // Bulk operations in the spec's format; the id of a create may travel as `$id` in the data.
    await tables.createOperations({
      transactionId,
      operations: [
        { action: 'create', databaseId: DB, tableId: 'accounts', data: { $id: 'op3', name: 'Op three' } },
        { action: 'bulkCreate', databaseId: DB, tableId: 'accounts', data: [{ $id: 'op4', name: 'Op four' }] },
        { action: 'bulkUpdate', databaseId: DB, tableId: 'accounts', data: { data: { balance: 9 }, queries: [Query.equal('$id', ['op3', 'op4'])] } },
        { action: 'bulkDelete', databaseId: DB, tableId: 'accounts', data: { queries: [Query.equal('$id', ['op4'])] } },
      ],
    });
    await rejectsWith(databases.getDocument({ ...C, documentId: 'op1' }), 404, 'document_not_found');
    assert.equal((await databases.updateTransaction({ transactionId, commit: true })).status, 'committed');
    const doc = await databases.getDocument({ ...C, documentId: 'op1' });
    assert.equal(doc.name, 'Op one!');
    assert.equal(doc.balance, 5);
    assert.equal((await tables.getRow({ ...T, rowId: 'op2' })).name, 'Op two');
    assert.equal(await balanceOf('op3'), 9);
    await rejectsWith(tables.getRow({ ...T, rowId: 'op4' }), 404, 'row_not_found');
  });

  test('bulk writes with a transactionId are staged and committed together', async () => {
    const { $id: transactionId } = await tables.createTransaction();
    const created = await tables.createRows({ ...T, rows: [{ $id: 'bulk1', name: 'B1' }, { $id: 'bulk2', name: 'B2' }], transactionId });
    assert.equal(created.total, 2);
    await tables.upsertRows({ ...T, rows: [{ $id: 'bulk3', name: 'B3' }], transactionId });
    await tables.updateRows({ ...T, data: { balance: 7 }, queries: [Query.startsWith('name', 'B')], transactionId });
    await tables.deleteRows({ ...T, queries: [Query.equal('$id', ['bulk2'])], transactionId });
    assert.ok(!(await rowIds()).includes('bulk1'));
    await tables.updateTransaction({ transactionId, commit: true });
    const ids = await rowIds();
    assert.ok(ids.includes('bulk1') && ids.includes('bulk3') && !ids.includes('bulk2'));
    assert.equal(await balanceOf('bulk1'), 7);
    assert.equal(await balanceOf('base'), 7);
  });

  test('rollback discards every staged write', async () => {
    const { $id: transactionId } = await tables.createTransaction();
    await tables.createRow({ ...T, rowId: 'never', data: { name: 'Never' }, transactionId });
    await tables.deleteRow({ ...T, rowId: 'base', transactionId });
    const rolled = await tables.updateTransaction({ transactionId, rollback: true });
    assert.equal(rolled.status, 'rolled_back');
    await rejectsWith(tables.getRow({ ...T, rowId: 'never' }), 404, 'row_not_found');
    assert.ok((await rowIds()).includes('base'));
    await rejectsWith(tables.updateTransaction({ transactionId, commit: true }), 400, 'transaction_not_ready');
    await rejectsWith(tables.updateTransaction({ transactionId }), 400, 'general_bad_request');
  });

  test('one failing operation at commit applies nothing and fails the transaction', async () => {
    const before = await balanceOf('base');
    // The increment passes the column's max only once the earlier ones ran.
    const { $id: transactionId } = await tables.createTransaction();
    await tables.createRow({ ...T, rowId: 'half', data: { name: 'Half' }, transactionId });
    await tables.incrementRowColumn({ ...T, rowId: 'base', column: 'balance', value: 600, transactionId });
    await tables.incrementRowColumn({ ...T, rowId: 'base', column: 'balance', value: 600, transactionId });
    await rejectsWith(tables.updateTransaction({ transactionId, commit: true }), 400, 'column_limit_exceeded');
    assert.equal((await tables.getTransaction({ transactionId })).status, 'failed');
    await rejectsWith(tables.getRow({ ...T, rowId: 'half' }), 404, 'row_not_found');
    assert.equal(await balanceOf('base'), before);

    // A unique clash found at commit is a conflict; the first write is undone with it.
    const clash = await tables.createTransaction();
    await tables.createRow({ ...T, rowId: 'c1', data: { name: 'C1', code: 'Z' }, transactionId: clash.$id });
    await tables.createRow({ ...T, rowId: 'c2', data: { name: 'C2', code: 'B' }, transactionId: clash.$id });
    await rejectsWith(tables.updateTransaction({ transactionId: clash.$id, commit: true }), 409, 'transaction_conflict');
    await rejectsWith(tables.getRow({ ...T, rowId: 'c1' }), 404, 'row_not_found');
    // The server keeps serving.
    assert.equal((await tables.getRow({ ...T, rowId: 'base' })).$id, 'base');
  });

  test('a row changed after a write on it was staged fails the commit with a conflict, as Appwrite commits', async () => {
    await tables.createRow({ ...T, rowId: 'seen', data: { name: 'Seen', balance: 1 } });
    // A later change time than any staging below, set explicitly so no two writes share a millisecond.
    const later = new Date(Date.now() + 60_000).toISOString();
    const changeBehind = (rowId: string) => tables.updateRow({ ...T, rowId, data: { balance: 2, $updatedAt: later } as never });

    const settle = () => tables.updateRow({ ...T, rowId: 'seen', data: { balance: 1, $updatedAt: new Date(Date.now() - 60_000).toISOString() } as never });
    for (const stage of [
      (transactionId: string) => tables.updateRow({ ...T, rowId: 'seen', data: { balance: 5 }, transactionId }),
      (transactionId: string) => tables.upsertRow({ ...T, rowId: 'seen', data: { balance: 5 } as never, transactionId }),
      (transactionId: string) => tables.deleteRow({ ...T, rowId: 'seen', transactionId }),
      (transactionId: string) => tables.incrementRowColumn({ ...T, rowId: 'seen', column: 'balance', value: 1, transactionId }),
      (transactionId: string) => tables.updateRows({ ...T, data: { balance: 5 }, queries: [Query.equal('$id', ['seen'])], transactionId }),
      (transactionId: string) => tables.deleteRows({ ...T, queries: [Query.equal('$id', ['seen'])], transactionId }),
      (transactionId: string) => tables.upsertRows({ ...T, rows: [{ $id: 'seen', name: 'Seen', balance: 5 }], transactionId }),
    ]) {
      await settle();
      const { $id: transactionId } = await tables.createTransaction();
      await tables.createRow({ ...T, rowId: 'beside', data: { name: 'Beside' }, transactionId });
      await stage(transactionId);
      await changeBehind('seen');
      await rejectsWith(tables.updateTransaction({ transactionId, commit: true }), 409, 'transaction_conflict');
      assert.equal((await tables.getTransaction({ transactionId })).status, 'failed');
      assert.equal(await balanceOf('seen'), 2, 'the change made after staging stays');
      await rejectsWith(tables.getRow({ ...T, rowId: 'beside' }), 404, 'row_not_found');
    }

    // A change the transaction itself made earlier is no conflict, nor one made before the staging.
    await settle();
    const { $id: transactionId } = await tables.createTransaction();
    await tables.updateRow({ ...T, rowId: 'seen', data: { balance: 6 }, transactionId });
    await tables.incrementRowColumn({ ...T, rowId: 'seen', column: 'balance', value: 1, transactionId });
    await tables.createRow({ ...T, rowId: 'fresh', data: { name: 'Fresh' }, transactionId });
    await tables.updateRow({ ...T, rowId: 'fresh', data: { balance: 3 }, transactionId });
    await tables.updateTransaction({ transactionId, commit: true });
    assert.equal(await balanceOf('seen'), 7);
    assert.equal(await balanceOf('fresh'), 3);
  });

  test('staging checks the schema, the rows and the transaction up front', async () => {
    const { $id: transactionId } = await tables.createTransaction();
    await rejectsWith(tables.createRow({ ...T, rowId: 'bad', data: { balance: 1 } as never, transactionId }), 400, 'row_invalid_structure');
    await rejectsWith(tables.createRow({ ...T, rowId: 'bad', data: { name: 'x', balance: 'many' } as never, transactionId }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId: 'nobody', data: { name: 'x' } as never, transactionId }), 404, 'row_not_found');
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'base', column: 'name', transactionId }), 400, 'column_type_invalid');
    await rejectsWith(tables.createRow({ ...T, rowId: 'x', data: { name: 'x' } as never, transactionId: 'missing' }), 404, 'transaction_not_found');
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'nope', rowId: 'x', data: { name: 'x' } as never, transactionId }), 404, 'table_not_found');
    await rejectsWith(tables.createOperations({ transactionId, operations: [] }), 400, 'general_bad_request');
    await rejectsWith(tables.createOperations({ transactionId, operations: [{ action: 'explode', databaseId: DB, tableId: 'accounts', rowId: 'x' }] }), 400, 'general_argument_invalid');
    // Nothing invalid was staged.
    assert.equal((await tables.getTransaction({ transactionId })).operations, 0);
    const many = Array.from({ length: 101 }, (_, i) => ({ action: 'create', databaseId: DB, tableId: 'accounts', rowId: `m${i}`, data: { name: 'm' } }));
    await rejectsWith(tables.createOperations({ transactionId, operations: many }), 400, 'transaction_limit_exceeded');
  });

  test('a user stages and commits only what they may write, in their own transactions', async () => {
    await tables.createRow({ ...T, rowId: 'bobs', data: { name: 'Bob' }, permissions: [Permission.read(Role.users()), Permission.update(Role.user(bob.userId))] });
    const own = await alice.tables.createTransaction();
    await rejectsWith(alice.tables.updateRow({ ...T, rowId: 'bobs', data: { name: 'Mine' } as never, transactionId: own.$id }), 401, 'user_unauthorized');
    await rejectsWith(alice.tables.createRow({ ...T, rowId: 'a1', data: { name: 'A' } as never, permissions: [Permission.read(Role.user(bob.userId))], transactionId: own.$id }), 401, 'user_unauthorized');
    await rejectsWith(alice.tables.createRows({ ...T, rows: [{ name: 'A' }], transactionId: own.$id }), 401, 'user_unauthorized');
    // Someone else's transaction does not exist for Bob.
    await rejectsWith(bob.tables.getTransaction({ transactionId: own.$id }), 404, 'transaction_not_found');
    await rejectsWith(bob.tables.createRow({ ...T, rowId: 'b1', data: { name: 'B' } as never, transactionId: own.$id }), 404, 'transaction_not_found');
    await rejectsWith(bob.tables.updateTransaction({ transactionId: own.$id, commit: true }), 404, 'transaction_not_found');
    assert.deepEqual(idsOf((await bob.tables.listTransactions()).transactions), []);
    assert.deepEqual(idsOf((await alice.tables.listTransactions()).transactions), [own.$id]);

    // Alice's row, with her default permissions; she stages its deletion.
    await alice.tables.createRow({ ...T, rowId: 'alices', data: { name: 'Alice' } });
    await alice.tables.deleteRow({ ...T, rowId: 'alices', transactionId: own.$id });
    await alice.tables.createRow({ ...T, rowId: 'a2', data: { name: 'A2' }, transactionId: own.$id });
    // Her delete right goes away before she commits: the commit refuses and applies nothing.
    await tables.updateRow({ ...T, rowId: 'alices', permissions: [Permission.read(Role.user(alice.userId))] });
    await rejectsWith(alice.tables.updateTransaction({ transactionId: own.$id, commit: true }), 401, 'user_unauthorized');
    assert.equal((await alice.tables.getRow({ ...T, rowId: 'alices' })).$id, 'alices');
    await rejectsWith(tables.getRow({ ...T, rowId: 'a2' }), 404, 'row_not_found');

    // A permitted transaction commits, with the creator's default permissions on new rows.
    const ok = await alice.tables.createTransaction();
    await alice.tables.createRow({ ...T, rowId: 'a3', data: { name: 'A3' }, transactionId: ok.$id });
    await alice.tables.updateTransaction({ transactionId: ok.$id, commit: true });
    const a3 = await alice.tables.getRow({ ...T, rowId: 'a3' });
    assert.deepEqual([...a3.$permissions].sort(), [`delete("user:${alice.userId}")`, `read("user:${alice.userId}")`, `update("user:${alice.userId}")`]);
  });
});

describe('transactions publish after the commit and expire', () => {
  let app: InProcess;
  const key = serverCaller();
  const ids = { databaseId: 'db', collectionId: 'posts' };

  before(async () => {
    app = await startInProcess('txnevents');
    const { deps } = app.services;
    await createDatabase(deps, 'txnevents', TABLES_API, { databaseId: 'db', name: 'DB' });
    await createCollection(deps, 'txnevents', LEGACY_API, 'db', { collectionId: 'posts', name: 'Posts', permissions: [], documentSecurity: false });
    await createAttribute(deps, 'txnevents', LEGACY_API, ids, 'string', 'title', { required: false, size: 50 });
    await runSchemaJob(deps, { projectId: 'txnevents', action: 'createAttribute', seq: await findAttributeSeq(deps, 'txnevents', 'title') });
  });
  after(() => app.stop());

  test('staged writes publish nothing; the commit publishes each change', async () => {
    const { deps } = app.services;
    const txn = await createTransaction(deps, 'txnevents', key, {});
    app.events.length = 0;
    const operation = (documentId: string, action: string, data: unknown) => ({ action, ...ids, documentId, data });
    await stageWrite(deps, 'txnevents', TABLES_API, key, txn.$id as string, operation('p1', 'create', { title: 'one' }));
    await stageWrite(deps, 'txnevents', TABLES_API, key, txn.$id as string, operation('p1', 'update', { title: 'uno' }));
    assert.equal(app.events.length, 0);
    await commitTransaction(deps, 'txnevents', TABLES_API, key, txn.$id as string);
    const names = app.events.flatMap((event) => event.names.filter((name) => name.startsWith('tablesdb.db.tables.posts.rows.p1.')));
    assert.deepEqual(names, ['tablesdb.db.tables.posts.rows.p1.create', 'tablesdb.db.tables.posts.rows.p1.update']);
    assert.equal((app.events.at(-1)!.payload as { title: string }).title, 'uno');
  });

  test('an expired transaction takes no writes and cannot commit', async () => {
    const { deps } = app.services;
    const txn = await createTransaction(deps, 'txnevents', key, { ttl: 60 });
    await stageWrite(deps, 'txnevents', TABLES_API, key, txn.$id as string, { action: 'create', ...ids, documentId: 'late', data: { title: 'late' } });
    await setTransactionExpiry(deps.db.project('txnevents'), txn.$id as string, new Date(Date.now() - 1000).toISOString());
    app.events.length = 0;
    const expired = { name: 'AppError', type: 'transaction_expired' };
    await assert.rejects(stageWrite(deps, 'txnevents', TABLES_API, key, txn.$id as string, { action: 'create', ...ids, documentId: 'later', data: {} }), expired);
    await assert.rejects(commitTransaction(deps, 'txnevents', TABLES_API, key, txn.$id as string), expired);
    assert.equal(app.events.length, 0);
  });
});
