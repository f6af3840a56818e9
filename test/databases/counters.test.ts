import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { signUpUser, waitForSchema, type DatabaseUser, startDatabaseServer } from './helpers.js';

const PROJECT = 'counters';
const DB = 'main';
const T = { databaseId: DB, tableId: 'stats' };

describe('increment and decrement', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  let alice: DatabaseUser;
  let bob: DatabaseUser;

  before(async () => {
    let key: string;
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ ...T, name: 'Stats', permissions: [Permission.read(Role.users())], rowSecurity: true });
    await tables.createIntegerColumn({ ...T, key: 'views', required: false, min: -10, max: 1000 });
    await tables.createFloatColumn({ ...T, key: 'score', required: false });
    await tables.createStringColumn({ ...T, key: 'label', size: 10, required: false });
    await tables.createIntegerColumn({ ...T, key: 'list', required: false, array: true });
    await waitForSchema(tables, DB, 'stats');
    alice = await signUpUser(server, PROJECT, key, 'Alice');
    bob = await signUpUser(server, PROJECT, key, 'Bob');
    await tables.createRow({ ...T, rowId: 'r1', data: { views: 5, score: 1.5 }, permissions: [Permission.update(Role.user(alice.userId))] });
  });
  after(() => server.stop());

  test('increments by one by default and by a given value', async () => {
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views' })).views, 6);
    const doc = await databases.incrementDocumentAttribute({ databaseId: DB, collectionId: 'stats', documentId: 'r1', attribute: 'views', value: 4 });
    assert.equal(doc.views, 10);
    assert.equal(doc.$collectionId, 'stats');
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'score', value: 0.25 })).score, 1.75);
  });

  test('decrements, and a null value counts as zero', async () => {
    assert.equal((await tables.decrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: 3 })).views, 7);
    await tables.createRow({ ...T, rowId: 'empty', data: {} });
    assert.equal((await tables.decrementRowColumn({ ...T, rowId: 'empty', column: 'views', value: 2 })).views, -2);
  });

  test('a max or min that would be crossed is refused and changes nothing', async () => {
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: 5, max: 10 }), 400, 'column_limit_exceeded');
    await rejectsWith(databases.decrementDocumentAttribute({ databaseId: DB, collectionId: 'stats', documentId: 'r1', attribute: 'views', value: 8, min: 0 }), 400, 'attribute_limit_exceeded');
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: 3, max: 10 })).views, 10);
    assert.equal((await tables.decrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: 10, min: 0 })).views, 0);
    // The column's own range bounds it too.
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: 1001 }), 400, 'column_limit_exceeded');
    await rejectsWith(tables.decrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: 11 }), 400, 'column_limit_exceeded');
    assert.equal((await tables.getRow({ ...T, rowId: 'r1' })).views, 0);
  });

  test('concurrent increments lose no step', async () => {
    await tables.createRow({ ...T, rowId: 'busy', data: { views: 0 } });
    await Promise.all(Array.from({ length: 40 }, () => tables.incrementRowColumn({ ...T, rowId: 'busy', column: 'views' })));
    assert.equal((await tables.getRow({ ...T, rowId: 'busy' })).views, 40);
    // With a max, exactly as many succeed as fit.
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => tables.incrementRowColumn({ ...T, rowId: 'busy', column: 'views', max: 50 })));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 10);
    assert.equal((await tables.getRow({ ...T, rowId: 'busy' })).views, 50);
  });

  test('bad targets and values are refused', async () => {
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'label' }), 400, 'column_type_invalid');
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'list' }), 400, 'column_type_invalid');
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'nope' }), 404, 'column_not_found');
    await rejectsWith(databases.incrementDocumentAttribute({ databaseId: DB, collectionId: 'stats', documentId: 'r1', attribute: 'nope' }), 404, 'attribute_not_found');
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'missing', column: 'views' }), 404, 'row_not_found');
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: 1.5 }), 400, 'row_invalid_structure');
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views', value: -1 }), 400, 'general_argument_invalid');
  });

  test('clients need update permission on the row', async () => {
    const before = (await tables.getRow({ ...T, rowId: 'r1' })).views as number;
    assert.equal((await alice.tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views' })).views, before + 1);
    await rejectsWith(bob.tables.incrementRowColumn({ ...T, rowId: 'r1', column: 'views' }), 401, 'user_unauthorized');
    await rejectsWith(bob.tables.incrementRowColumn({ ...T, rowId: 'empty', column: 'views' }), 401, 'user_unauthorized');
    assert.equal((await tables.getRow({ ...T, rowId: 'r1' })).views, before + 1);
  });
});
