import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Operator, Condition, Query, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { waitForSchema, startDatabaseServer } from './helpers.js';

const PROJECT = 'operators';
const DB = 'main';
const T = { databaseId: DB, tableId: 'things' };

describe('update operators', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  let n = 0;

  /** A fresh row with known values; returns its id. */
  async function seed(data: Record<string, unknown> = {}): Promise<string> {
    const rowId = `r${++n}`;
    await tables.createRow({ ...T, rowId, data: { count: 10, score: 2.5, title: 'hello world', flag: false, tags: ['a', 'b', 'a'], nums: [1, 5, 3], when: '2024-01-10T00:00:00.000Z', ...data } });
    return rowId;
  }
  async function apply(data: Record<string, unknown>, seedData?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const rowId = await seed(seedData);
    return { ...(await tables.updateRow({ ...T, rowId, data })) };
  }

  before(async () => {
    ({ server, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ ...T, name: 'Things' });
    await tables.createIntegerColumn({ ...T, key: 'count', required: false, min: -100, max: 1000 });
    await tables.createFloatColumn({ ...T, key: 'score', required: false });
    await tables.createStringColumn({ ...T, key: 'title', size: 30, required: false });
    await tables.createBooleanColumn({ ...T, key: 'flag', required: false });
    await tables.createStringColumn({ ...T, key: 'tags', size: 10, required: false, array: true });
    await tables.createIntegerColumn({ ...T, key: 'nums', required: false, array: true });
    await tables.createDatetimeColumn({ ...T, key: 'when', required: false });
    await waitForSchema(tables, DB, 'things');
  });
  after(() => server.stop());

  test('numeric operators, with their caps', async () => {
    assert.equal((await apply({ count: Operator.increment(5) })).count, 15);
    assert.equal((await apply({ count: Operator.increment(500, 100) })).count, 100);
    assert.equal((await apply({ count: Operator.decrement(3) })).count, 7);
    assert.equal((await apply({ count: Operator.decrement(30, 0) })).count, 0);
    assert.equal((await apply({ count: Operator.multiply(3) })).count, 30);
    assert.equal((await apply({ count: Operator.multiply(300, 50) })).count, 50);
    assert.equal((await apply({ score: Operator.divide(2) })).score, 1.25);
    assert.equal((await apply({ score: Operator.divide(10, 1) })).score, 1);
    assert.equal((await apply({ count: Operator.modulo(4) })).count, 2);
    assert.equal((await apply({ count: Operator.power(2) })).count, 100);
    assert.equal((await apply({ count: Operator.power(3, 999) })).count, 999);
    assert.equal((await apply({ count: Operator.increment() }, { count: null })).count, 1);
  });

  test('array operators', async () => {
    assert.deepEqual((await apply({ tags: Operator.arrayAppend(['c', 'd']) })).tags, ['a', 'b', 'a', 'c', 'd']);
    assert.deepEqual((await apply({ tags: Operator.arrayPrepend(['z']) })).tags, ['z', 'a', 'b', 'a']);
    assert.deepEqual((await apply({ tags: Operator.arrayInsert(1, 'x') })).tags, ['a', 'x', 'b', 'a']);
    assert.deepEqual((await apply({ tags: Operator.arrayRemove('a') })).tags, ['b']);
    assert.deepEqual((await apply({ tags: Operator.arrayUnique() })).tags, ['a', 'b']);
    assert.deepEqual((await apply({ tags: Operator.arrayIntersect(['a', 'q']) })).tags, ['a', 'a']);
    assert.deepEqual((await apply({ tags: Operator.arrayDiff(['a']) })).tags, ['b']);
    assert.deepEqual((await apply({ nums: Operator.arrayFilter(Condition.GreaterThan, 2) })).nums, [5, 3]);
    assert.deepEqual((await apply({ nums: Operator.arrayFilter(Condition.Equal, 1) })).nums, [1]);
    assert.deepEqual((await apply({ tags: Operator.arrayAppend(['n']) }, { tags: null })).tags, ['n']);
  });

  test('string, boolean and date operators', async () => {
    assert.equal((await apply({ title: Operator.stringConcat('!') })).title, 'hello world!');
    assert.equal((await apply({ title: Operator.stringReplace('o', '0') })).title, 'hell0 w0rld');
    assert.equal((await apply({ flag: Operator.toggle() })).flag, true);
    assert.equal((await apply({ when: Operator.dateAddDays(5) })).when, '2024-01-15T00:00:00.000+00:00');
    assert.equal((await apply({ when: Operator.dateSubDays(10) })).when, '2023-12-31T00:00:00.000+00:00');
    const now = (await apply({ when: Operator.dateSetNow() })).when as string;
    assert.ok(Math.abs(Date.parse(now) - Date.now()) < 60_000, now);
  });

  test('operators mix with plain values, and work on create, upsert and through Databases', async () => {
    const mixed = await apply({ count: Operator.increment(1), title: 'plain' });
    assert.equal(mixed.count, 11);
    assert.equal(mixed.title, 'plain');
    const created = await tables.createRow({ ...T, rowId: 'made', data: { count: Operator.increment(4), tags: Operator.arrayAppend(['x']) } });
    assert.equal(created.count, 4);
    assert.deepEqual(created.tags, ['x']);
    assert.equal((await tables.upsertRow({ ...T, rowId: 'made', data: { count: Operator.multiply(5) } })).count, 20);
    const doc = await databases.updateDocument({ databaseId: DB, collectionId: 'things', documentId: 'made', data: { count: Operator.decrement(2) } });
    assert.equal(doc.count, 18);
  });

  test('bulk updates apply operators to each row', async () => {
    const a = await seed({ count: 1, title: 'bulk' });
    const b = await seed({ count: 2, title: 'bulk' });
    const result = await tables.updateRows({ ...T, data: { count: Operator.multiply(10) }, queries: [Query.equal('title', 'bulk'), Query.orderAsc('count')] });
    assert.deepEqual(result.rows.map((row) => [row.$id, row.count]), [[a, 10], [b, 20]]);
  });

  test('an operator that does not fit is an invalid structure and changes nothing', async () => {
    const rowId = await seed();
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { title: Operator.increment(1) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { count: Operator.arrayAppend([1]) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { count: Operator.increment(2000) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { count: Operator.divide(4) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { tags: Operator.arrayInsert(9, 'x') } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { title: Operator.stringConcat('x'.repeat(30)) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { nope: Operator.toggle() } as never }), 400, 'row_invalid_structure');
    const row = await tables.getRow({ ...T, rowId });
    assert.equal(row.count, 10);
    assert.equal(row.title, 'hello world');
  });

  test('concurrent operator updates lose no step', async () => {
    const rowId = await seed({ count: 0, tags: [] });
    await Promise.all(Array.from({ length: 20 }, (_, i) => tables.updateRow({ ...T, rowId, data: { count: Operator.increment(1), tags: Operator.arrayAppend([`t${i}`]) } })));
    const row = await tables.getRow({ ...T, rowId });
    assert.equal(row.count, 20);
    assert.equal((row.tags as string[]).length, 20);
  });
});
