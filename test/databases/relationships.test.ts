import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, Query, RelationMutate, RelationshipType, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { signUpUser, startDatabaseServer, waitForSchema } from './helpers.js';

const PROJECT = 'relations';
const DB = 'rel';

type Data = Record<string, any>;

describe('relationships', () => {
  let server: TestServer;
  let key: string;
  let tables: TablesDB;
  let databases: Databases;

  const table = async (tableId: string, columns: string[], extra: Data = {}) => {
    await tables.createTable({ databaseId: DB, tableId, name: tableId, ...extra });
    for (const column of columns) await tables.createStringColumn({ databaseId: DB, tableId, key: column, size: 64, required: false });
    await waitForSchema(tables, DB, tableId);
  };
  const relate = async (tableId: string, relatedTableId: string, type: RelationshipType, options: Data = {}) => {
    const column = await tables.createRelationshipColumn({ databaseId: DB, tableId, relatedTableId, type, ...options });
    await waitForSchema(tables, DB, tableId);
    await waitForSchema(tables, DB, relatedTableId);
    return column;
  };
  const create = (tableId: string, rowId: string, data: Data) => tables.createRow({ databaseId: DB, tableId, rowId, data: data as never });
  const update = (tableId: string, rowId: string, data: Data) => tables.updateRow({ databaseId: DB, tableId, rowId, data: data as never });
  const get = async (tableId: string, rowId: string, select?: string[]): Promise<Data> =>
    tables.getRow({ databaseId: DB, tableId, rowId, ...(select ? { queries: [Query.select(select)] } : {}) });
  const list = async (tableId: string, queries: string[]): Promise<Data[]> => (await tables.listRows({ databaseId: DB, tableId, queries })).rows;
  const ids = (items: Data[] | undefined) => (items ?? []).map((item) => item.$id);

  before(async () => {
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Relations' });
  });
  after(() => server.stop());

  test('a two-way column creates its twin on the related table, and both APIs describe it', async () => {
    await table('authors', ['name']);
    await table('books', ['title']);
    const created = await tables.createRelationshipColumn({
      databaseId: DB, tableId: 'books', relatedTableId: 'authors', type: RelationshipType.ManyToOne,
      twoWay: true, key: 'author', twoWayKey: 'books', onDelete: RelationMutate.SetNull,
    });
    assert.deepEqual(
      { key: created.key, type: created.type, status: created.status, relatedTable: created.relatedTable, relationType: created.relationType, twoWay: created.twoWay, twoWayKey: created.twoWayKey, onDelete: created.onDelete, side: created.side },
      { key: 'author', type: 'relationship', status: 'processing', relatedTable: 'authors', relationType: 'manyToOne', twoWay: true, twoWayKey: 'books', onDelete: 'setNull', side: 'parent' },
    );
    assert.deepEqual(await waitForSchema(tables, DB, 'books'), { title: 'available', author: 'available' });
    assert.deepEqual(await waitForSchema(tables, DB, 'authors'), { name: 'available', books: 'available' });
    const twin = (await tables.getColumn({ databaseId: DB, tableId: 'authors', key: 'books' })) as Data;
    assert.equal(twin.side, 'child');
    assert.equal(twin.relatedTable, 'books');
    assert.equal(twin.twoWayKey, 'author');
    const legacy = (await databases.getAttribute({ databaseId: DB, collectionId: 'books', key: 'author' })) as Data;
    assert.equal(legacy.relatedCollection, 'authors');
    assert.equal(legacy.relatedTable, undefined);
  });

  test('manyToOne: ids link rows, reads leave relationships out unless selected, selects load them', async () => {
    await create('authors', 'a1', { name: 'Ann' });
    await create('authors', 'a2', { name: 'Bob' });
    const b1 = await create('books', 'b1', { title: 'One', author: 'a1' });
    // The answer to a write carries the related row whole (without its way back), as Appwrite's does.
    assert.deepEqual([b1.author.$id, b1.author.name, 'books' in b1.author], ['a1', 'Ann', false]);
    await create('books', 'b2', { title: 'Two', author: 'a1' });
    await create('books', 'b3', { title: 'Three', author: null });

    assert.equal('author' in (await get('books', 'b1')), false);
    const full = await get('books', 'b1', ['*', 'author.*']);
    assert.equal(full.title, 'One');
    assert.deepEqual([full.author.$id, full.author.name, full.author.$tableId, full.author.$databaseId], ['a1', 'Ann', 'authors', DB]);
    assert.equal('books' in full.author, false);
    const narrow = await get('books', 'b1', ['author.name']);
    assert.equal(narrow.title, undefined);
    assert.equal(narrow.author.name, 'Ann');
    assert.equal((await get('books', 'b3', ['*', 'author.*'])).author, null);

    const authors = await list('authors', [Query.select(['*', 'books.*']), Query.orderAsc('$id')]);
    assert.deepEqual(authors.map((a) => [a.$id, ids(a.books)]), [['a1', ['b1', 'b2']], ['a2', []]]);
    // Two levels: each author's books, and each book's author again.
    const deep = await get('authors', 'a1', ['books.title', 'books.author.name']);
    assert.deepEqual(deep.books.map((b: Data) => [b.title, b.author.name]), [['One', 'Ann'], ['Two', 'Ann']]);

    assert.deepEqual(ids(await list('books', [Query.equal('author', 'a1')])), ['b1', 'b2']);
    assert.deepEqual(ids(await list('books', [Query.isNull('author')])), ['b3']);
    await update('books', 'b2', { author: 'a2' });
    assert.deepEqual(ids((await get('authors', 'a2', ['books.*'])).books), ['b2']);
    // The many-side is written too: a2 takes b3 and lets b2 go.
    await update('authors', 'a2', { books: ['b3'] });
    assert.deepEqual(ids(await list('books', [Query.equal('author', 'a2')])), ['b3']);
    assert.equal((await get('books', 'b2', ['author.*'])).author, null);
  });

  test('nested documents are created or updated with the row that names them', async () => {
    await create('books', 'b4', { title: 'Four', author: { $id: 'a3', name: 'Cat' } });
    assert.equal((await get('authors', 'a3')).name, 'Cat');
    await update('books', 'b4', { author: { $id: 'a3', name: 'Cath' } });
    assert.equal((await get('authors', 'a3')).name, 'Cath');
    await create('authors', 'a4', { name: 'Dee', books: [{ $id: 'b5', title: 'Five' }, 'b4'] });
    assert.deepEqual(ids((await get('authors', 'a4', ['books.*'])).books), ['b4', 'b5']);
    assert.equal((await get('books', 'b5', ['author.*'])).author.$id, 'a4');
  });

  test('bad relationship values are relationship_value_invalid and leave nothing behind', async () => {
    await rejectsWith(create('books', 'x1', { title: 'X', author: 'nobody' }), 400, 'relationship_value_invalid');
    await rejectsWith(create('books', 'x1', { title: 'X', author: ['a1'] }), 400, 'relationship_value_invalid');
    await rejectsWith(create('authors', 'x2', { name: 'X', books: 'b1' }), 400, 'relationship_value_invalid');
    await rejectsWith(create('authors', 'x2', { name: 'X', books: [{ $id: 'x3', title: 'far too long '.repeat(10) }] }), 400, 'row_invalid_structure');
    await rejectsWith(get('books', 'x1'), 404, 'row_not_found');
    await rejectsWith(get('authors', 'x2'), 404, 'row_not_found');
    await rejectsWith(get('books', 'x3'), 404, 'row_not_found');
    await rejectsWith(tables.createRows({ databaseId: DB, tableId: 'books', rows: [{ $id: 'x4', title: 'X' }] }), 400, 'general_bad_request');
    await rejectsWith(tables.createIndex({ databaseId: DB, tableId: 'books', key: 'by_author', type: 'key' as never, columns: ['author'] }), 400, 'column_type_invalid');
  });

  test('onDelete setNull unlinks, restrict refuses, cascade deletes; update changes the rule', async () => {
    await tables.deleteRow({ databaseId: DB, tableId: 'authors', rowId: 'a1' });
    assert.equal((await get('books', 'b1', ['author.*'])).author, null);

    const changed = await tables.updateRelationshipColumn({ databaseId: DB, tableId: 'books', key: 'author', onDelete: RelationMutate.Restrict });
    assert.equal(changed.onDelete, 'restrict');
    assert.equal(((await tables.getColumn({ databaseId: DB, tableId: 'authors', key: 'books' })) as Data).onDelete, 'restrict');
    await rejectsWith(tables.deleteRow({ databaseId: DB, tableId: 'authors', rowId: 'a4' }), 403, 'row_delete_restricted');
    await rejectsWith(databases.deleteDocument({ databaseId: DB, collectionId: 'authors', documentId: 'a4' }), 403, 'document_delete_restricted');
    // Deleting one of the many that point at a4 is allowed.
    await tables.deleteRow({ databaseId: DB, tableId: 'books', rowId: 'b5' });
    assert.deepEqual(ids((await get('authors', 'a4', ['books.*'])).books), ['b4']);

    await tables.updateRelationshipColumn({ databaseId: DB, tableId: 'authors', key: 'books', onDelete: RelationMutate.Cascade });
    await tables.deleteRow({ databaseId: DB, tableId: 'authors', rowId: 'a4' });
    await rejectsWith(get('books', 'b4'), 404, 'row_not_found');
    assert.deepEqual(ids(await list('books', [])), ['b1', 'b2', 'b3']);
  });

  test('oneToMany one-way: no twin, children move between parents, cascade follows the links', async () => {
    await table('posts', ['title']);
    await table('comments', ['text']);
    const column = await relate('posts', 'comments', RelationshipType.OneToMany, { key: 'comments', onDelete: RelationMutate.Cascade });
    assert.equal(column.twoWay, false);
    assert.equal(column.twoWayKey, 'posts');
    const others = ((await tables.getTable({ databaseId: DB, tableId: 'comments' })).columns as Data[]).map((c) => c.key);
    assert.deepEqual(others, ['text']);

    await create('comments', 'c1', { text: 'first' });
    await create('posts', 'p1', { title: 'P1', comments: ['c1', { $id: 'c2', text: 'second' }] });
    await create('posts', 'p2', { title: 'P2', comments: [{ $id: 'c3', text: 'third' }] });
    assert.deepEqual(ids((await get('posts', 'p1', ['comments.*'])).comments), ['c1', 'c2']);
    // Taking c2 moves it from p1 to p2; [] lets every child go.
    await update('posts', 'p2', { comments: ['c2', 'c3'] });
    assert.deepEqual(ids((await get('posts', 'p1', ['comments.*'])).comments), ['c1']);
    await update('posts', 'p1', { comments: [] });
    assert.deepEqual(ids((await get('posts', 'p1', ['comments.*'])).comments), []);

    await tables.deleteRow({ databaseId: DB, tableId: 'posts', rowId: 'p2' });
    assert.deepEqual(ids(await list('comments', [])), ['c1']);
  });

  test('a table may relate to itself; cascade runs down the whole chain', async () => {
    await table('nodes', ['label']);
    await relate('nodes', 'nodes', RelationshipType.OneToMany, { key: 'children', twoWay: true, twoWayKey: 'parent', onDelete: RelationMutate.Cascade });
    await create('nodes', 'n1', { label: 'root', children: [{ $id: 'n2', label: 'mid', children: [{ $id: 'n3', label: 'leaf' }] }] });
    await create('nodes', 'n4', { label: 'other' });
    assert.equal((await get('nodes', 'n3', ['parent.parent.label'])).parent.parent.label, 'root');
    assert.deepEqual(ids(await list('nodes', [Query.equal('parent', 'n2')])), ['n3']);
    await tables.deleteRow({ databaseId: DB, tableId: 'nodes', rowId: 'n1' });
    assert.deepEqual(ids(await list('nodes', [])), ['n4']);
  });

  test('oneToOne two-way: one partner each, restrict guards the parent, the child may go', async () => {
    await table('people', ['name']);
    await table('passports', ['number']);
    await relate('people', 'passports', RelationshipType.OneToOne, { key: 'passport', twoWay: true, twoWayKey: 'holder' });
    await create('people', 'u1', { name: 'Una', passport: { $id: 'pp1', number: 'N1' } });
    await create('people', 'u2', { name: 'Vic' });
    assert.equal((await get('passports', 'pp1', ['holder.name'])).holder.name, 'Una');
    await rejectsWith(update('people', 'u2', { passport: 'pp1' }), 409, 'row_already_exists');
    await rejectsWith(tables.deleteRow({ databaseId: DB, tableId: 'people', rowId: 'u1' }), 403, 'row_delete_restricted');
    await tables.deleteRow({ databaseId: DB, tableId: 'passports', rowId: 'pp1' });
    assert.equal((await get('people', 'u1', ['passport.*'])).passport, null);
    await tables.deleteRow({ databaseId: DB, tableId: 'people', rowId: 'u1' });
  });

  test('manyToMany through the legacy Databases API: both ends read the links, setNull and cascade', async () => {
    await databases.createCollection({ databaseId: DB, collectionId: 'articles', name: 'Articles' });
    await databases.createCollection({ databaseId: DB, collectionId: 'tags', name: 'Tags' });
    await databases.createStringAttribute({ databaseId: DB, collectionId: 'articles', key: 'title', size: 64, required: false });
    await databases.createStringAttribute({ databaseId: DB, collectionId: 'tags', key: 'label', size: 64, required: false });
    const attribute = await databases.createRelationshipAttribute({
      databaseId: DB, collectionId: 'articles', relatedCollectionId: 'tags', type: RelationshipType.ManyToMany,
      twoWay: true, key: 'tags', twoWayKey: 'articles', onDelete: RelationMutate.SetNull,
    });
    assert.equal(attribute.relatedCollection, 'tags');
    await waitForSchema(tables, DB, 'articles');
    await waitForSchema(tables, DB, 'tags');

    await databases.createDocument({ databaseId: DB, collectionId: 'tags', documentId: 't1', data: { label: 'red' } });
    await databases.createDocument({ databaseId: DB, collectionId: 'articles', documentId: 'r1', data: { title: 'R1', tags: ['t1', { $id: 't2', label: 'blue' }] } });
    await databases.createDocument({ databaseId: DB, collectionId: 'articles', documentId: 'r2', data: { title: 'R2', tags: ['t2'] } });
    const r1 = (await databases.getDocument({ databaseId: DB, collectionId: 'articles', documentId: 'r1', queries: [Query.select(['*', 'tags.*'])] })) as Data;
    assert.deepEqual(r1.tags.map((t: Data) => [t.$id, t.label, t.$collectionId]), [['t1', 'red', 'tags'], ['t2', 'blue', 'tags']]);
    const t2 = (await databases.getDocument({ databaseId: DB, collectionId: 'tags', documentId: 't2', queries: [Query.select(['articles.$id'])] })) as Data;
    assert.deepEqual(ids(t2.articles), ['r1', 'r2']);

    await databases.deleteDocument({ databaseId: DB, collectionId: 'tags', documentId: 't1' });
    assert.deepEqual(ids(((await get('articles', 'r1', ['tags.*'])) as Data).tags), ['t2']);
    await databases.updateDocument({ databaseId: DB, collectionId: 'articles', documentId: 'r1', data: { tags: [] } });
    assert.deepEqual(ids((await get('tags', 't2', ['articles.*'])).articles), ['r2']);

    await databases.updateRelationshipAttribute({ databaseId: DB, collectionId: 'articles', key: 'tags', onDelete: RelationMutate.Cascade });
    await databases.deleteDocument({ databaseId: DB, collectionId: 'articles', documentId: 'r2' });
    await rejectsWith(databases.getDocument({ databaseId: DB, collectionId: 'tags', documentId: 't2' }), 404, 'document_not_found');
  });

  test('related rows the caller may not read are left out of what a select loads', async () => {
    await table('vaults', ['secret'], { rowSecurity: true, permissions: [Permission.create(Role.users())] });
    await table('notes', ['text'], { permissions: [Permission.read(Role.any()), Permission.create(Role.users())] });
    await relate('notes', 'vaults', RelationshipType.ManyToOne, { key: 'vault', twoWay: true, twoWayKey: 'notes' });
    const user = await signUpUser(server, PROJECT, key, 'Reader');
    await create('vaults', 'v1', { secret: 'mine' });
    await tables.updateRow({ databaseId: DB, tableId: 'vaults', rowId: 'v1', permissions: [Permission.read(Role.user(user.userId))] });
    await create('vaults', 'v2', { secret: 'hidden' });
    await create('notes', 'n1', { text: 'one', vault: 'v1' });
    await create('notes', 'n2', { text: 'two', vault: 'v2' });

    const seen = (await user.tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.select(['*', 'vault.*'])] })).rows as Data[];
    assert.deepEqual(seen.map((n) => [n.$id, n.vault?.secret ?? null]), [['n1', 'mine'], ['n2', null]]);
    // Linking to a row the user cannot read is refused as if it did not exist.
    await rejectsWith(user.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'n3', data: { text: 'x', vault: 'v2' } as never }), 400, 'relationship_value_invalid');
    await user.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'n4', data: { text: 'x', vault: { $id: 'v3', secret: 'new' } } as never });
    // A link changes the related row too: one the user may read but not update is refused, by id or as loaded.
    await rejectsWith(user.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'n5', data: { text: 'y', vault: 'v1' } as never }), 401, 'user_unauthorized');
    await rejectsWith(user.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'n5', data: { text: 'y', vault: { $id: 'v1', secret: 'mine' } } as never }), 401, 'user_unauthorized');
    await rejectsWith(user.tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'n6', data: { text: 'z', vault: { $id: 'v1', secret: 'changed' } } as never }), 401, 'user_unauthorized');
    const created = await user.tables.getRow({ databaseId: DB, tableId: 'vaults', rowId: 'v3' });
    assert.deepEqual([...created.$permissions].sort(), [`delete("user:${user.userId}")`, `read("user:${user.userId}")`, `update("user:${user.userId}")`]);
  });

  test('renaming and deleting a relationship column carries the twin along', async () => {
    const renamed = await tables.updateRelationshipColumn({ databaseId: DB, tableId: 'notes', key: 'vault', newKey: 'box' });
    assert.equal(renamed.key, 'box');
    assert.equal(((await tables.getColumn({ databaseId: DB, tableId: 'vaults', key: 'notes' })) as Data).twoWayKey, 'box');
    assert.equal((await get('notes', 'n1', ['box.*'])).box.$id, 'v1');

    await tables.deleteColumn({ databaseId: DB, tableId: 'vaults', key: 'notes' });
    await waitForSchema(tables, DB, 'notes');
    await waitForSchema(tables, DB, 'vaults');
    await rejectsWith(tables.getColumn({ databaseId: DB, tableId: 'notes', key: 'box' }), 404, 'column_not_found');
    await rejectsWith(tables.getColumn({ databaseId: DB, tableId: 'vaults', key: 'notes' }), 404, 'column_not_found');
    await rejectsWith(create('notes', 'n5', { text: 'x', box: 'v1' }), 400, 'row_invalid_structure');
    await tables.deleteRow({ databaseId: DB, tableId: 'vaults', rowId: 'v1' });
  });

  test('schema errors: unknown related table, taken keys, unknown type', async () => {
    await rejectsWith(tables.createRelationshipColumn({ databaseId: DB, tableId: 'books', relatedTableId: 'nope', type: RelationshipType.OneToOne }), 404, 'table_not_found');
    await rejectsWith(databases.createRelationshipAttribute({ databaseId: DB, collectionId: 'books', relatedCollectionId: 'nope', type: RelationshipType.OneToOne }), 404, 'collection_not_found');
    await rejectsWith(tables.createRelationshipColumn({ databaseId: DB, tableId: 'books', relatedTableId: 'authors', type: RelationshipType.OneToOne, key: 'title' }), 409, 'column_already_exists');
    await rejectsWith(
      databases.createRelationshipAttribute({ databaseId: DB, collectionId: 'books', relatedCollectionId: 'people', type: RelationshipType.OneToOne, twoWay: true, key: 'owner', twoWayKey: 'name' }),
      409,
      'attribute_already_exists',
    );
    await rejectsWith(tables.createRelationshipColumn({ databaseId: DB, tableId: 'books', relatedTableId: 'authors', type: 'oneToAll' as never }), 400, 'general_argument_invalid');
    await rejectsWith(tables.updateRelationshipColumn({ databaseId: DB, tableId: 'books', key: 'title', onDelete: RelationMutate.Cascade }), 400, 'column_type_invalid');
    await rejectsWith(tables.updateRelationshipColumn({ databaseId: DB, tableId: 'books', key: 'nope' }), 404, 'column_not_found');
    // Nothing half-made: the failed two-way create left no column on either table.
    await rejectsWith(tables.getColumn({ databaseId: DB, tableId: 'books', key: 'owner' }), 404, 'column_not_found');
  });

  test('deleting a table removes the relationships it takes part in from the other tables', async () => {
    await tables.deleteTable({ databaseId: DB, tableId: 'authors' });
    const columns = ((await tables.getTable({ databaseId: DB, tableId: 'books' })).columns as Data[]).map((c) => c.key);
    assert.deepEqual(columns, ['title']);
    assert.equal((await get('books', 'b1')).title, 'One');
    await tables.deleteTable({ databaseId: DB, tableId: 'tags' });
    await create('articles', 'r9', { title: 'still fine' });
    assert.deepEqual(ids(await list('articles', [])), ['r1', 'r9']);
  });
});
