import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { waitForSchema, startDatabaseServer } from './helpers.js';

const PROJECT = 'schema';

describe('databases, tables, columns and indexes', () => {
  let server: TestServer;
  let databases: Databases;
  let tables: TablesDB;

  before(async () => {
    ({ server, tables, databases } = await startDatabaseServer(PROJECT));
  });
  after(() => server.stop());

  test('databases are created, listed, renamed and deleted through either API', async () => {
    const created = await tables.create({ databaseId: 'shop', name: 'Shop' });
    assert.equal(created.$id, 'shop');
    assert.equal(created.type, 'tablesdb');
    assert.equal(created.enabled, true);
    await databases.create({ databaseId: 'legacy', name: 'Legacy' });
    await rejectsWith(tables.create({ databaseId: 'shop', name: 'Again' }), 409, 'database_already_exists');

    const listed = await databases.list();
    assert.deepEqual(listed.databases.map((d) => d.$id), ['shop', 'legacy']);
    assert.equal(listed.total, 2);
    const renamed = await databases.update({ databaseId: 'legacy', name: 'Old', enabled: false });
    assert.equal(renamed.name, 'Old');
    assert.equal((await tables.get({ databaseId: 'legacy' })).enabled, false);
    await tables.delete({ databaseId: 'legacy' });
    await rejectsWith(databases.get({ databaseId: 'legacy' }), 404, 'database_not_found');
  });

  test('a table has permissions and row security, and is a collection to the Databases API', async () => {
    const table = await tables.createTable({
      databaseId: 'shop',
      tableId: 'products',
      name: 'Products',
      permissions: [Permission.read(Role.any()), Permission.write(Role.users())],
      rowSecurity: true,
    });
    assert.equal(table.rowSecurity, true);
    assert.deepEqual(table.$permissions, ['read("any")', 'create("users")', 'update("users")', 'delete("users")']);
    const collection = await databases.getCollection({ databaseId: 'shop', collectionId: 'products' });
    assert.equal(collection.documentSecurity, true);
    assert.equal(collection.name, 'Products');
    await rejectsWith(databases.createCollection({ databaseId: 'shop', collectionId: 'products', name: 'x' }), 409, 'collection_already_exists');
    await rejectsWith(tables.getTable({ databaseId: 'shop', tableId: 'nope' }), 404, 'table_not_found');
    await rejectsWith(databases.getCollection({ databaseId: 'shop', collectionId: 'nope' }), 404, 'collection_not_found');
    const updated = await databases.updateCollection({ databaseId: 'shop', collectionId: 'products', name: 'Goods', documentSecurity: false });
    assert.equal(updated.documentSecurity, false);
    assert.equal((await tables.listTables({ databaseId: 'shop' })).tables[0]?.name, 'Goods');
  });

  test('columns answer 202 processing, then become available through the queue', async () => {
    const column = await tables.createStringColumn({ databaseId: 'shop', tableId: 'products', key: 'name', size: 64, required: true });
    assert.equal(column.status, 'processing');
    assert.equal(column.size, 64);
    await tables.createIntegerColumn({ databaseId: 'shop', tableId: 'products', key: 'stock', required: false, min: 0, max: 1000, xdefault: 5 });
    await tables.createFloatColumn({ databaseId: 'shop', tableId: 'products', key: 'price', required: false });
    await tables.createBooleanColumn({ databaseId: 'shop', tableId: 'products', key: 'active', required: false, xdefault: true });
    await tables.createEmailColumn({ databaseId: 'shop', tableId: 'products', key: 'contact', required: false });
    await tables.createEnumColumn({ databaseId: 'shop', tableId: 'products', key: 'size', elements: ['s', 'm', 'l'], required: false });
    await tables.createUrlColumn({ databaseId: 'shop', tableId: 'products', key: 'site', required: false });
    await tables.createIpColumn({ databaseId: 'shop', tableId: 'products', key: 'origin', required: false });
    await tables.createDatetimeColumn({ databaseId: 'shop', tableId: 'products', key: 'launch', required: false });
    await databases.createStringAttribute({ databaseId: 'shop', collectionId: 'products', key: 'tags', size: 16, required: false, array: true });
    await rejectsWith(
      tables.createStringColumn({ databaseId: 'shop', tableId: 'products', key: 'name', size: 10, required: false }),
      409,
      'column_already_exists',
    );
    await rejectsWith(
      databases.createIntegerAttribute({ databaseId: 'shop', collectionId: 'products', key: 'bad', required: true, xdefault: 3 }),
      400,
      'attribute_default_unsupported',
    );
    await rejectsWith(
      tables.createIntegerColumn({ databaseId: 'shop', tableId: 'products', key: 'bad', required: false, min: 5, max: 1 }),
      400,
      'column_value_invalid',
    );

    const statuses = await waitForSchema(tables, 'shop', 'products');
    assert.deepEqual(Object.values(statuses), Array(10).fill('available'));
    const stock = await tables.getColumn({ databaseId: 'shop', tableId: 'products', key: 'stock' });
    assert.equal(stock.status, 'available');
    assert.equal((stock as { min: number }).min, 0);
    assert.equal((stock as { default: number }).default, 5);
    const size = await databases.getAttribute({ databaseId: 'shop', collectionId: 'products', key: 'size' });
    assert.deepEqual((size as { elements: string[] }).elements, ['s', 'm', 'l']);
    assert.equal((size as { format: string }).format, 'enum');
    const list = await databases.listAttributes({ databaseId: 'shop', collectionId: 'products' });
    assert.equal(list.total, 10);
    assert.deepEqual(
      list.attributes.map((a) => (a as { key: string }).key),
      ['name', 'stock', 'price', 'active', 'contact', 'size', 'site', 'origin', 'launch', 'tags'],
    );
  });

  test('a column is renamed and changed in place, and deleting it drops it', async () => {
    const updated = await tables.updateIntegerColumn({ databaseId: 'shop', tableId: 'products', key: 'stock', required: false, xdefault: 7, min: 0, max: 500 });
    assert.equal((updated as { max: number }).max, 500);
    await tables.createRow({ databaseId: 'shop', tableId: 'products', rowId: 'p1', data: { name: 'Lamp', origin: '10.0.0.1' } });
    await tables.updateIpColumn({ databaseId: 'shop', tableId: 'products', key: 'origin', required: false, xdefault: null as never, newKey: 'source' });
    const row = await tables.getRow({ databaseId: 'shop', tableId: 'products', rowId: 'p1' });
    assert.equal(row.source, '10.0.0.1');
    assert.equal(row.stock, 7);

    await tables.deleteColumn({ databaseId: 'shop', tableId: 'products', key: 'source' });
    await waitForSchema(tables, 'shop', 'products');
    await rejectsWith(tables.getColumn({ databaseId: 'shop', tableId: 'products', key: 'source' }), 404, 'column_not_found');
    assert.equal('source' in (await tables.getRow({ databaseId: 'shop', tableId: 'products', rowId: 'p1' })), false);
  });

  test('indexes: key and unique become available; a unique index rejects a clash', async () => {
    const index = await tables.createIndex({ databaseId: 'shop', tableId: 'products', key: 'by_name', type: 'unique' as never, columns: ['name'], orders: ['ASC' as never] });
    assert.equal(index.status, 'processing');
    await databases.createIndex({ databaseId: 'shop', collectionId: 'products', key: 'by_stock', type: 'key' as never, attributes: ['stock', 'price'], orders: ['DESC' as never, 'ASC' as never] });
    await databases.createIndex({ databaseId: 'shop', collectionId: 'products', key: 'text', type: 'fulltext' as never, attributes: ['name'] });
    await rejectsWith(
      tables.createIndex({ databaseId: 'shop', tableId: 'products', key: 'ghost', type: 'key' as never, columns: ['missing'] }),
      400,
      'column_unknown',
    );
    const statuses = await waitForSchema(tables, 'shop', 'products');
    assert.equal(statuses.by_name, 'available');
    assert.equal(statuses.by_stock, 'available');
    assert.equal(statuses.text, 'available');
    const listed = await databases.listIndexes({ databaseId: 'shop', collectionId: 'products' });
    assert.deepEqual(listed.indexes.map((i) => i.key), ['by_name', 'by_stock', 'text']);
    assert.deepEqual([...listed.indexes[1]!.orders!], ['DESC', 'ASC']);

    await rejectsWith(
      tables.createRow({ databaseId: 'shop', tableId: 'products', rowId: 'p2', data: { name: 'Lamp' } as never }),
      409,
      'row_already_exists',
    );
    await tables.deleteIndex({ databaseId: 'shop', tableId: 'products', key: 'by_name' });
    await waitForSchema(tables, 'shop', 'products');
    await rejectsWith(tables.getIndex({ databaseId: 'shop', tableId: 'products', key: 'by_name' }), 404, 'column_index_not_found');
    await tables.createRow({ databaseId: 'shop', tableId: 'products', rowId: 'p2', data: { name: 'Lamp' } as never });
  });

  test('a unique index over clashing rows fails with its error', async () => {
    await tables.createIndex({ databaseId: 'shop', tableId: 'products', key: 'again', type: 'unique' as never, columns: ['name'] });
    const statuses = await waitForSchema(tables, 'shop', 'products');
    assert.equal(statuses.again, 'failed');
    const index = await tables.getIndex({ databaseId: 'shop', tableId: 'products', key: 'again' });
    assert.ok(index.error.length > 0);
  });

  test('deleting a table and a database removes their rows', async () => {
    await tables.createTable({ databaseId: 'shop', tableId: 'gone', name: 'Gone' });
    await tables.deleteTable({ databaseId: 'shop', tableId: 'products' });
    await rejectsWith(tables.getRow({ databaseId: 'shop', tableId: 'products', rowId: 'p1' }), 404, 'table_not_found');
    await tables.delete({ databaseId: 'shop' });
    await rejectsWith(tables.getTable({ databaseId: 'shop', tableId: 'gone' }), 404, 'database_not_found');
    // The ids are free again, with empty tables.
    await tables.create({ databaseId: 'shop', name: 'Shop' });
    await tables.createTable({ databaseId: 'shop', tableId: 'products', name: 'Products' });
    assert.equal((await tables.listRows({ databaseId: 'shop', tableId: 'products' })).total, 0);
  });
});
