import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, ID, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { plain, waitForSchema, startDatabaseServer } from './helpers.js';

const PROJECT = 'docs';
const DB = 'main';

describe('documents and rows', () => {
  let server: TestServer;
  let databases: Databases;
  let tables: TablesDB;

  before(async () => {
    ({ server, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ databaseId: DB, tableId: 'things', name: 'Things' });
    const t = { databaseId: DB, tableId: 'things' };
    await tables.createStringColumn({ ...t, key: 'title', size: 10, required: true });
    await tables.createIntegerColumn({ ...t, key: 'count', required: false, min: 0, max: 100 });
    await tables.createFloatColumn({ ...t, key: 'ratio', required: false, min: -1, max: 1 });
    await tables.createBooleanColumn({ ...t, key: 'done', required: false, xdefault: false });
    await tables.createEmailColumn({ ...t, key: 'email', required: false });
    await tables.createEnumColumn({ ...t, key: 'colour', elements: ['red', 'green'], required: false });
    await tables.createUrlColumn({ ...t, key: 'link', required: false });
    await tables.createIpColumn({ ...t, key: 'ip', required: false });
    await tables.createDatetimeColumn({ ...t, key: 'when', required: false });
    await tables.createIntegerColumn({ ...t, key: 'scores', required: false, array: true });
    await waitForSchema(tables, DB, 'things');
  });
  after(() => server.stop());

  test('a row written through TablesDB is read as a document through Databases', async () => {
    const row = await tables.createRow({
      databaseId: DB,
      tableId: 'things',
      rowId: 'one',
      data: { title: 'First', count: 3, ratio: 0.5, email: 'a@example.com', colour: 'red', link: 'https://example.com/x', ip: '::1', when: '2024-05-01T10:00:00Z', scores: [1, 2] },
    });
    assert.equal(row.$id, 'one');
    assert.equal(row.$tableId, 'things');
    assert.equal(row.$databaseId, DB);
    assert.equal(typeof row.$sequence, 'string');
    assert.deepEqual([...row.$permissions], []);
    assert.equal(row.done, false);
    assert.equal(row.when, '2024-05-01T10:00:00.000+00:00');

    const document = await databases.getDocument({ databaseId: DB, collectionId: 'things', documentId: 'one' });
    assert.equal(document.$collectionId, 'things');
    const { $createdAt, $updatedAt, ...rest } = plain(document);
    assert.ok($createdAt && $updatedAt);
    assert.deepEqual(
      { ...rest, scores: [...(rest.scores as number[])], $permissions: [...rest.$permissions] },
      {
        $id: 'one', $sequence: row.$sequence, $collectionId: 'things', $databaseId: DB, $permissions: [],
        title: 'First', count: 3, ratio: 0.5, done: false, email: 'a@example.com', colour: 'red',
        link: 'https://example.com/x', ip: '::1', when: '2024-05-01T10:00:00.000+00:00', scores: [1, 2],
      },
    );
  });

  test('partial updates keep the other values; deletes remove the row', async () => {
    const updated = await databases.updateDocument({ databaseId: DB, collectionId: 'things', documentId: 'one', data: { count: 4, ip: null } });
    assert.equal(updated.count, 4);
    assert.equal(updated.ip, null);
    assert.equal(updated.title, 'First');
    const generated = await databases.createDocument({ databaseId: DB, collectionId: 'things', documentId: 'unique()', data: { title: 'Gen' } });
    assert.ok(generated.$id.length > 10);
    const second = await tables.createRow({ databaseId: DB, tableId: 'things', rowId: ID.unique(), data: { title: 'Second' } });
    assert.ok(Number(second.$sequence) > Number(generated.$sequence));
    await tables.deleteRow({ databaseId: DB, tableId: 'things', rowId: generated.$id });
    await rejectsWith(databases.getDocument({ databaseId: DB, collectionId: 'things', documentId: generated.$id }), 404, 'document_not_found');
    await rejectsWith(tables.getRow({ databaseId: DB, tableId: 'things', rowId: generated.$id }), 404, 'row_not_found');
    await rejectsWith(tables.deleteRow({ databaseId: DB, tableId: 'things', rowId: generated.$id }), 404, 'row_not_found');
  });

  test('a duplicate id is document_already_exists', async () => {
    await rejectsWith(databases.createDocument({ databaseId: DB, collectionId: 'things', documentId: 'one', data: { title: 'Dup' } as never }), 409, 'document_already_exists');
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'things', rowId: 'one', data: { title: 'Dup' } as never }), 409, 'row_already_exists');
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['missing required', { count: 1 }],
    ['null required', { title: null }],
    ['unknown key', { title: 'x', nope: 1 }],
    ['string too long', { title: 'x'.repeat(11) }],
    ['string of wrong type', { title: 5 }],
    ['integer as float', { title: 'x', count: 1.5 }],
    ['integer as string', { title: 'x', count: '1' }],
    ['integer above max', { title: 'x', count: 101 }],
    ['integer below min', { title: 'x', count: -1 }],
    ['float out of range', { title: 'x', ratio: 1.5 }],
    ['float as string', { title: 'x', ratio: 'half' }],
    ['boolean as number', { title: 'x', done: 1 }],
    ['bad email', { title: 'x', email: 'not-an-email' }],
    ['bad enum', { title: 'x', colour: 'blue' }],
    ['bad url', { title: 'x', link: 'not a url' }],
    ['bad ip', { title: 'x', ip: '999.1.1.1' }],
    ['bad datetime', { title: 'x', when: 'yesterday' }],
    ['array for scalar', { title: ['x'] }],
    ['scalar for array', { title: 'x', scores: 3 }],
    ['bad array element', { title: 'x', scores: [1, 'two'] }],
  ];
  for (const [name, data] of invalid) {
    test(`rejects ${name} with document_invalid_structure`, async () => {
      await rejectsWith(databases.createDocument({ databaseId: DB, collectionId: 'things', documentId: ID.unique(), data }), 400, 'document_invalid_structure');
    });
  }

  test('TablesDB reports invalid rows as row_invalid_structure, also on update', async () => {
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'things', rowId: ID.unique(), data: { count: 2 } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ databaseId: DB, tableId: 'things', rowId: 'one', data: { count: 200 } as never }), 400, 'row_invalid_structure');
    assert.equal((await tables.getRow({ databaseId: DB, tableId: 'things', rowId: 'one' })).count, 4);
  });

  test('a write to a column still processing is attribute_not_available', async () => {
    await tables.createStringColumn({ databaseId: DB, tableId: 'things', key: 'late', size: 5, required: false });
    // The queue may finish the column before the write arrives: then the write succeeds.
    const outcome = await databases
      .createDocument({ databaseId: DB, collectionId: 'things', documentId: ID.unique(), data: { title: 'x', late: 'y' } })
      .then(() => 'created', (error: { type: string }) => error.type);
    assert.ok(['created', 'attribute_not_available'].includes(outcome), outcome);
    await waitForSchema(tables, DB, 'things');
    const row = await tables.createRow({ databaseId: DB, tableId: 'things', rowId: ID.unique(), data: { title: 'x', late: 'y' } as never });
    assert.equal(row.late, 'y');
  });
});
