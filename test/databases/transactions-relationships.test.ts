import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, Query, RelationMutate, RelationshipType, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { signUpUser, startDatabaseServer, waitForSchema } from './helpers.js';
import { findCollection, findDatabase, listAttributesOf, schemaStore } from '../../src/data/documents/schema-store.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { LEGACY_API, TABLES_API } from '../../src/services/databases/api-names.js';
import { createAttribute } from '../../src/services/databases/attributes.js';
import { createCollection } from '../../src/services/databases/collections.js';
import { createDatabase } from '../../src/services/databases/databases.js';
import { createDocument } from '../../src/services/databases/documents.js';
import { runSchemaJob } from '../../src/services/databases/index.js';
import { createRelationshipAttribute } from '../../src/services/databases/relationship-attributes.js';
import { createTransaction } from '../../src/services/databases/transactions.js';
import { commitTransaction } from '../../src/services/databases/transactions-commit.js';
import { stageWrite } from '../../src/services/databases/transactions-staging.js';
import { serverCaller } from '../../src/core/caller.js';

const PROJECT = 'txnrel';
const DB = 'shop';

type Data = Record<string, any>;

describe('transactions on tables with relationships, through the SDK', () => {
  let server: TestServer;
  let key: string;
  let tables: TablesDB;
  let databases: Databases;

  const table = async (tableId: string, column: string, permissions?: string[]) => {
    await tables.createTable({ databaseId: DB, tableId, name: tableId, ...(permissions ? { permissions } : {}) });
    await tables.createStringColumn({ databaseId: DB, tableId, key: column, size: 64, required: false });
    await waitForSchema(tables, DB, tableId);
  };
  const relate = async (tableId: string, relatedTableId: string, type: RelationshipType, options: Data) => {
    await tables.createRelationshipColumn({ databaseId: DB, tableId, relatedTableId, type, ...options });
    await waitForSchema(tables, DB, tableId);
    await waitForSchema(tables, DB, relatedTableId);
  };
  const get = async (tableId: string, rowId: string, select?: string[]): Promise<Data> =>
    tables.getRow({ databaseId: DB, tableId, rowId, ...(select ? { queries: [Query.select(select)] } : {}) });
  const absent = (tableId: string, rowId: string) => rejectsWith(get(tableId, rowId), 404, 'row_not_found');
  const ids = (items: Data[] | undefined) => (items ?? []).map((item) => item.$id).sort();
  const commit = (transactionId: string) => tables.updateTransaction({ transactionId, commit: true });

  before(async () => {
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Shop' });
    await table('authors', 'name');
    await table('books', 'title');
    await table('owners', 'name');
    await table('pets', 'name');
    await table('guards', 'name');
    await table('vaults', 'name');
    await table('journals', 'text', [Permission.create(Role.users()), Permission.read(Role.users())]);
    await relate('books', 'authors', RelationshipType.ManyToOne, { twoWay: true, key: 'author', twoWayKey: 'books', onDelete: RelationMutate.SetNull });
    await relate('owners', 'pets', RelationshipType.OneToMany, { twoWay: true, key: 'pets', twoWayKey: 'owner', onDelete: RelationMutate.Cascade });
    await relate('guards', 'vaults', RelationshipType.OneToOne, { key: 'vault', onDelete: RelationMutate.Restrict });
    await relate('journals', 'authors', RelationshipType.ManyToOne, { key: 'writer', onDelete: RelationMutate.SetNull });
  });
  after(() => server.stop());

  test('a staged nested create is invisible until the commit, then lands with its related rows and links', async () => {
    const { $id: transactionId } = await tables.createTransaction();
    await tables.createRow({ databaseId: DB, tableId: 'owners', rowId: 'o1', data: { name: 'Olga', pets: [{ $id: 'p1', name: 'Rex' }, { $id: 'p2', name: 'Tom' }] } as never, transactionId });
    await tables.createRow({ databaseId: DB, tableId: 'books', rowId: 'b1', data: { title: 'One', author: { $id: 'a1', name: 'Ann' } } as never, transactionId });
    // Rows the transaction creates, nested ones too, may be named by later operations.
    await tables.createOperations({
      transactionId,
      operations: [
        { action: 'create', databaseId: DB, tableId: 'books', rowId: 'b2', data: { title: 'Two', author: 'a1' } },
        { action: 'create', databaseId: DB, tableId: 'authors', rowId: 'a2', data: { name: 'Bob' } },
        { action: 'update', databaseId: DB, tableId: 'books', rowId: 'b1', data: { title: 'One!' } },
      ],
    });
    assert.equal((await tables.getTransaction({ transactionId })).operations, 5);
    for (const [tableId, rowId] of [['owners', 'o1'], ['pets', 'p1'], ['authors', 'a1'], ['books', 'b1']] as const) await absent(tableId, rowId);

    assert.equal((await commit(transactionId)).status, 'committed');
    const owner = await get('owners', 'o1', ['*', 'pets.*']);
    assert.deepEqual(ids(owner.pets), ['p1', 'p2']);
    assert.equal((await get('pets', 'p2', ['*', 'owner.*'])).owner.$id, 'o1');
    const author = await get('authors', 'a1', ['*', 'books.*']);
    assert.equal(author.name, 'Ann');
    assert.deepEqual(ids(author.books), ['b1', 'b2']);
    assert.equal((await get('books', 'b1')).title, 'One!');

    // A relationship value changes in a transaction as it does directly.
    const move = await tables.createTransaction();
    await tables.updateRow({ databaseId: DB, tableId: 'books', rowId: 'b2', data: { author: 'a2' } as never, transactionId: move.$id });
    await commit(move.$id);
    assert.equal((await get('books', 'b2', ['*', 'author.*'])).author.$id, 'a2');
  });

  test('rollback leaves nothing behind, nested documents included (Databases API)', async () => {
    const { $id: transactionId } = await databases.createTransaction();
    await databases.createDocument({ databaseId: DB, collectionId: 'owners', documentId: 'o2', data: { name: 'Otto', pets: [{ $id: 'p3', name: 'Kit' }] } as never, transactionId });
    await databases.updateDocument({ databaseId: DB, collectionId: 'owners', documentId: 'o1', data: { pets: ['p1'] } as never, transactionId });
    assert.equal((await databases.updateTransaction({ transactionId, rollback: true })).status, 'rolled_back');
    await rejectsWith(databases.getDocument({ databaseId: DB, collectionId: 'owners', documentId: 'o2' }), 404, 'document_not_found');
    await rejectsWith(databases.getDocument({ databaseId: DB, collectionId: 'pets', documentId: 'p3' }), 404, 'document_not_found');
    assert.deepEqual(ids((await get('owners', 'o1', ['*', 'pets.*'])).pets), ['p1', 'p2']);
  });

  test('staging checks relationship values up front and stages nothing invalid', async () => {
    const { $id: transactionId } = await tables.createTransaction();
    const books = { databaseId: DB, tableId: 'books' };
    await rejectsWith(tables.createRow({ ...books, rowId: 'x1', data: { title: 'X', author: 'nobody' } as never, transactionId }), 400, 'relationship_value_invalid');
    await rejectsWith(tables.createRow({ ...books, rowId: 'x1', data: { title: 'X', author: ['a1'] } as never, transactionId }), 400, 'relationship_value_invalid');
    await rejectsWith(tables.createRow({ ...books, rowId: 'x1', data: { title: 'X', author: { $id: 'a9', age: 3 } } as never, transactionId }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...books, rowId: 'x1', data: { author: 'a1' } as never, transactionId }), 404, 'row_not_found');
    // As the bulk routes: per-row writes only on tables with relationships.
    await rejectsWith(tables.createRows({ ...books, rows: [{ $id: 'x2', title: 'X' }], transactionId }), 400, 'general_bad_request');
    await rejectsWith(tables.createRows({ ...books, rows: [{ $id: 'x2', title: 'X' }] }), 400, 'general_bad_request');
    assert.equal((await tables.getTransaction({ transactionId })).operations, 0);
    await tables.deleteTransaction({ transactionId });
  });

  test('a user stages only what the related tables allow them', async () => {
    const user = await signUpUser(server, PROJECT, key, 'Una');
    const journals = { databaseId: DB, tableId: 'journals' };
    const { $id: transactionId } = await user.tables.createTransaction();
    // authors grants users nothing: no nested row there, and its rows are not theirs to name.
    await rejectsWith(user.tables.createRow({ ...journals, rowId: 'j1', data: { text: 'x', writer: { $id: 'a7', name: 'New' } } as never, transactionId }), 401, 'user_unauthorized');
    await rejectsWith(user.tables.createRow({ ...journals, rowId: 'j1', data: { text: 'x', writer: 'a2' } as never, transactionId }), 400, 'relationship_value_invalid');
    await user.tables.createRow({ ...journals, rowId: 'j1', data: { text: 'x', writer: null } as never, transactionId });
    assert.equal((await user.tables.updateTransaction({ transactionId, commit: true })).status, 'committed');
    assert.equal((await user.tables.getRow({ ...journals, rowId: 'j1' })).text, 'x');
    await absent('authors', 'a7');
  });

  test('a committed link needs update permission on the related row, as a direct write does', async () => {
    const user = await signUpUser(server, PROJECT, key, 'Tess');
    const old = '2020-01-01T00:00:00.000+00:00';
    await tables.createTable({ databaseId: DB, tableId: 'diaries', name: 'diaries', permissions: [Permission.create(Role.users()), Permission.read(Role.users())] });
    await tables.createTable({ databaseId: DB, tableId: 'topics', name: 'topics', rowSecurity: true });
    await relate('diaries', 'topics', RelationshipType.ManyToMany, { twoWay: true, key: 'topics', twoWayKey: 'diaries', onDelete: RelationMutate.SetNull });
    await tables.createRow({ databaseId: DB, tableId: 'topics', rowId: 'shared', data: { $updatedAt: old } as never, permissions: [Permission.read(Role.users())] });
    await tables.createRow({ databaseId: DB, tableId: 'topics', rowId: 'open', data: { $updatedAt: old } as never, permissions: [Permission.read(Role.users()), Permission.update(Role.users())] });
    const diaries = { databaseId: DB, tableId: 'diaries' };

    // Staging sees a row the user may read; the commit refuses to link it, and nothing of the transaction lands.
    const refused = await user.tables.createTransaction();
    await user.tables.createRow({ ...diaries, rowId: 'd0', data: {} as never, transactionId: refused.$id });
    await user.tables.createRow({ ...diaries, rowId: 'd1', data: { topics: ['shared'] } as never, transactionId: refused.$id });
    await rejectsWith(user.tables.updateTransaction({ transactionId: refused.$id, commit: true }), 401, 'user_unauthorized');
    assert.equal((await tables.getTransaction({ transactionId: refused.$id })).status, 'failed');
    await absent('diaries', 'd0');
    await absent('diaries', 'd1');
    assert.equal((await get('topics', 'shared')).$updatedAt, old);

    const allowed = await user.tables.createTransaction();
    await user.tables.createRow({ ...diaries, rowId: 'd2', data: { topics: ['open'] } as never, transactionId: allowed.$id });
    assert.equal((await user.tables.updateTransaction({ transactionId: allowed.$id, commit: true })).status, 'committed');
    assert.deepEqual(ids((await get('diaries', 'd2', ['topics.$id'])).topics), ['open']);
    assert.notEqual((await get('topics', 'open')).$updatedAt, old);
  });

  test('a staged delete cascades at the commit', async () => {
    const { $id: transactionId } = await tables.createTransaction();
    await tables.deleteRow({ databaseId: DB, tableId: 'owners', rowId: 'o1', transactionId });
    assert.equal((await get('pets', 'p1')).$id, 'p1');
    await commit(transactionId);
    for (const [tableId, rowId] of [['owners', 'o1'], ['pets', 'p1'], ['pets', 'p2']] as const) await absent(tableId, rowId);
  });

  test('a restrict violation at the commit undoes every earlier operation and fails the transaction', async () => {
    await tables.createRow({ databaseId: DB, tableId: 'guards', rowId: 'g1', data: { name: 'Gus', vault: { $id: 'v1', name: 'Main' } } as never });
    const { $id: transactionId } = await tables.createTransaction();
    await tables.createRow({ databaseId: DB, tableId: 'owners', rowId: 'o3', data: { name: 'Ona', pets: [{ $id: 'p4', name: 'Ivy' }] } as never, transactionId });
    await tables.updateRow({ databaseId: DB, tableId: 'books', rowId: 'b1', data: { title: 'Changed', author: null } as never, transactionId });
    await tables.deleteRow({ databaseId: DB, tableId: 'guards', rowId: 'g1', transactionId });
    await rejectsWith(commit(transactionId), 403, 'row_delete_restricted');
    assert.equal((await tables.getTransaction({ transactionId })).status, 'failed');
    await absent('owners', 'o3');
    await absent('pets', 'p4');
    const book = await get('books', 'b1', ['*', 'author.*']);
    assert.deepEqual([book.title, book.author?.$id], ['One!', 'a1']);
    assert.equal((await get('guards', 'g1', ['*', 'vault.*'])).vault.$id, 'v1');

    // The legacy API names the same failure after documents.
    const legacy = await databases.createTransaction();
    await databases.deleteDocument({ databaseId: DB, collectionId: 'guards', documentId: 'g1', transactionId: legacy.$id });
    await rejectsWith(databases.updateTransaction({ transactionId: legacy.$id, commit: true }), 403, 'document_delete_restricted');
    assert.equal((await databases.getTransaction({ transactionId: legacy.$id })).status, 'failed');

    // Unlinking first, in the same transaction, lets the delete through.
    const unlinked = await tables.createTransaction();
    await tables.updateRow({ databaseId: DB, tableId: 'guards', rowId: 'g1', data: { vault: null } as never, transactionId: unlinked.$id });
    await tables.deleteRow({ databaseId: DB, tableId: 'guards', rowId: 'g1', transactionId: unlinked.$id });
    await commit(unlinked.$id);
    await absent('guards', 'g1');
    assert.equal((await get('vaults', 'v1')).$id, 'v1');
  });

  test('setNull: a staged delete unlinks the related rows and keeps them', async () => {
    const { $id: transactionId } = await tables.createTransaction();
    await tables.deleteRow({ databaseId: DB, tableId: 'authors', rowId: 'a1', transactionId });
    await commit(transactionId);
    await absent('authors', 'a1');
    const book = await get('books', 'b1', ['*', 'author.*']);
    assert.equal(book.title, 'One!');
    assert.equal(book.author, null);
    assert.equal((await get('books', 'b2', ['*', 'author.*'])).author.$id, 'a2');
  });
});

describe('transactions on collections with relationships publish after the commit', () => {
  let app: InProcess;
  const P = 'txnrelevents';
  const key = serverCaller();
  const owners = { databaseId: 'db', collectionId: 'owners' };
  const pets = { databaseId: 'db', collectionId: 'pets' };

  const attributeSeq = async (deps: ServiceDeps, collectionId: string, attributeKey: string) => {
    const store = schemaStore(deps.db.project(P));
    const database = await findDatabase(store, 'db');
    const collection = await findCollection(store, database!.seq, collectionId);
    return (await listAttributesOf(store, collection!.seq)).find((a) => a.key === attributeKey)!.seq;
  };

  before(async () => {
    app = await startInProcess(P);
    const { deps } = app.services;
    await createDatabase(deps, P, TABLES_API, { databaseId: 'db', name: 'DB' });
    for (const ids of [owners, pets]) {
      await createCollection(deps, P, LEGACY_API, 'db', { collectionId: ids.collectionId, name: ids.collectionId, permissions: [], documentSecurity: false });
      await createAttribute(deps, P, LEGACY_API, ids, 'string', 'name', { required: false, size: 50 });
      await runSchemaJob(deps, { projectId: P, action: 'createAttribute', seq: await attributeSeq(deps, ids.collectionId, 'name') });
    }
    await createRelationshipAttribute(deps, P, LEGACY_API, owners, { relatedCollectionId: 'pets', type: 'oneToMany', key: 'pets', onDelete: 'cascade' });
    await runSchemaJob(deps, { projectId: P, action: 'createAttribute', seq: await attributeSeq(deps, 'owners', 'pets') });
  });
  after(() => app.stop());

  test('nested creates and cascaded deletes are published once the commit is done', async () => {
    const { deps } = app.services;
    const created = await createTransaction(deps, P, key, {});
    app.events.length = 0;
    await stageWrite(deps, P, TABLES_API, key, created.$id as string, { action: 'create', ...owners, documentId: 'o1', data: { name: 'Olga', pets: [{ $id: 'p1', name: 'Rex' }] } });
    assert.equal(app.events.length, 0);
    await commitTransaction(deps, P, TABLES_API, key, created.$id as string);
    // The nested pet has a create event of its own.
    assert.ok(app.events.some((event) => event.names.includes('tablesdb.db.tables.pets.rows.p1.create')));
    assert.ok(app.published('tablesdb.db.tables.owners.rows.o1.create'));

    await createDocument(deps, P, LEGACY_API, key, pets, { documentId: 'p2', data: { name: 'Tom' } });
    const deleted = await createTransaction(deps, P, key, {});
    await stageWrite(deps, P, TABLES_API, key, deleted.$id as string, { action: 'update', ...owners, documentId: 'o1', data: { pets: ['p1', 'p2'] } });
    await stageWrite(deps, P, TABLES_API, key, deleted.$id as string, { action: 'delete', ...owners, documentId: 'o1', data: {} });
    app.events.length = 0;
    await commitTransaction(deps, P, TABLES_API, key, deleted.$id as string);
    const names = app.events.flatMap((event) => event.names.filter((name) => /^tablesdb\.db\.tables\.\w+\.rows\.\w+\.(update|delete)$/.test(name)));
    // The update with the pet it took, the asked-for delete, then what it cascaded to, in no set order.
    assert.deepEqual(names.slice(0, 3), ['tablesdb.db.tables.owners.rows.o1.update', 'tablesdb.db.tables.pets.rows.p2.update', 'tablesdb.db.tables.owners.rows.o1.delete']);
    assert.deepEqual(names.slice(3).sort(), ['tablesdb.db.tables.pets.rows.p1.delete', 'tablesdb.db.tables.pets.rows.p2.delete']);
  });
});
