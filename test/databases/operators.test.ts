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
    await tables.createIntegerColumn({ ...T, key: 'big', required: false });
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
    // Modulo takes no cap, as in Appwrite.
    assert.equal((await apply({ count: '{"method":"modulo","values":[4,1]}' })).count, 2);
    // An integer quotient is rounded half away from zero, as Appwrite's MariaDB stores it.
    assert.equal((await apply({ count: Operator.divide(4) })).count, 3);
    assert.equal((await apply({ count: Operator.divide(4) }, { count: -10 })).count, -3);
    assert.equal((await apply({ count: Operator.divide(3) })).count, 3);
    assert.equal((await apply({ count: Operator.divide(2.5) })).count, 4);
    assert.equal((await apply({ count: Operator.power(2) })).count, 100);
    assert.equal((await apply({ count: Operator.power(3, 999) })).count, 999);
    assert.equal((await apply({ count: Operator.increment() }, { count: null })).count, 1);
  });

  test('integer operators stay exact past 2^53, to the ends of 64 bits', async () => {
    const big = async (data: Record<string, unknown>, seedValue: bigint | number) => (await apply(data, { big: seedValue })).big;
    const MAX = 2n ** 63n - 1n;
    assert.equal(await big({ big: Operator.modulo(10) }, 2n ** 53n + 1n), 3);
    // The remainder takes the dividend's sign, as MariaDB's MOD.
    assert.equal(await big({ big: Operator.modulo(-7) }, -(2n ** 62n) - 2n), -6);
    assert.equal(await big({ big: Operator.divide(2) }, MAX), 2n ** 62n);
    assert.equal(await big({ big: Operator.divide(2) }, -MAX), -(2n ** 62n));
    assert.equal(await big({ big: Operator.divide(1) }, 2n ** 53n + 1n), 2n ** 53n + 1n);
    // Bounds past 2^53 are written as JSON digits; the SDK's helpers take doubles, which round them.
    assert.equal(await big({ big: '{"method":"divide","values":[3,2305843009213693952]}' }, 2n ** 62n), 2n ** 61n);
    assert.equal(await big({ big: Operator.power(39) }, 3), 3n ** 39n);
    assert.equal(await big({ big: Operator.power(3) }, -(2n ** 20n) - 1n), (-(2n ** 20n) - 1n) ** 3n);
    assert.equal(await big({ big: '{"method":"power","values":[40,4611686018427387904]}' }, 3), 2n ** 62n);
    assert.equal(await big({ big: '{"method":"power","values":[1000000,4611686018427387904]}' }, 3), 2n ** 62n);
    assert.equal(await big({ big: Operator.power(-1) }, 2), 1);
    assert.equal(await big({ big: Operator.power(-2) }, 2), 0);
    // Operands past 2^53 keep their digits too (JSON numbers in the operator's text).
    assert.equal(await big({ big: '{"method":"multiply","values":[1152921504606846977]}' }, 7), 7n * (2n ** 60n + 1n));
    assert.equal(await big({ big: '{"method":"increment","values":[9007199254740993]}' }, -1), 2n ** 53n);
    // Past 64 bits is out of the column's range, however large the power.
    const rowId = await seed({ big: 3 });
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { big: Operator.power(40) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { big: Operator.power(1000000) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { big: Operator.multiply(2 ** 62) } as never }), 400, 'row_invalid_structure');
    assert.equal((await tables.getRow({ ...T, rowId })).big, 3);
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
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { count: '{"method":"divide","values":[0]}' } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ ...T, rowId, data: { count: '{"method":"modulo","values":[0]}' } as never }), 400, 'row_invalid_structure');
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
