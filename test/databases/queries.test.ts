import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Query, TablesDB, Databases } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { waitForSchema, startDatabaseServer } from './helpers.js';

const PROJECT = 'queries';
const DB = 'db';
const T = 'items';

const ROWS = [
  { id: 'a', name: 'Apple', qty: 5, price: 1.5, active: true, tags: ['fruit', 'red'], nums: [1, 2], released: '2024-01-01T00:00:00.000+00:00', note: null, body: 'crisp red apple' },
  { id: 'b', name: 'Banana', qty: 12, price: 0.5, active: true, tags: ['fruit', 'yellow'], nums: [3], released: '2024-02-01T00:00:00.000+00:00', note: 'ripe', body: 'long yellow fruit' },
  { id: 'c', name: 'Carrot', qty: 0, price: 0.2, active: false, tags: ['veg', 'orange'], nums: [], released: '2024-03-01T00:00:00.000+00:00', note: null, body: 'orange root vegetable' },
  { id: 'd', name: 'Date', qty: 30, price: 3, active: true, tags: ['fruit'], nums: [2, 4], released: '2024-04-01T00:00:00.000+00:00', note: 'sweet', body: 'Sweet brown FRUIT' },
  { id: 'e', name: 'apricot', qty: 7, price: 2.25, active: false, tags: [], nums: null, released: null, note: 'Sweet', body: 'small orange fruit' },
];

describe('queries on rows', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  /** Sequences may skip numbers (a create retried after a schema change, on PostgreSQL): read b's. */
  let sequenceOfB = 0;

  async function ids(queries: string[]): Promise<string[]> {
    return (await tables.listRows({ databaseId: DB, tableId: T, queries })).rows.map((row) => row.$id);
  }

  before(async () => {
    ({ server, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'DB' });
    await tables.createTable({ databaseId: DB, tableId: T, name: 'Items' });
    const t = { databaseId: DB, tableId: T };
    await tables.createStringColumn({ ...t, key: 'name', size: 64, required: true });
    await tables.createIntegerColumn({ ...t, key: 'qty', required: false });
    await tables.createFloatColumn({ ...t, key: 'price', required: false });
    await tables.createBooleanColumn({ ...t, key: 'active', required: false });
    await tables.createStringColumn({ ...t, key: 'tags', size: 32, required: false, array: true });
    await tables.createIntegerColumn({ ...t, key: 'nums', required: false, array: true });
    await tables.createDatetimeColumn({ ...t, key: 'released', required: false });
    await tables.createStringColumn({ ...t, key: 'note', size: 64, required: false });
    await tables.createStringColumn({ ...t, key: 'body', size: 256, required: false });
    await waitForSchema(tables, DB, T);
    await tables.createIndex({ ...t, key: 'body_text', type: 'fulltext' as never, columns: ['body'] });
    await tables.createIndex({ ...t, key: 'by_qty', type: 'key' as never, columns: ['qty'] });
    await waitForSchema(tables, DB, T);
    for (const { id, ...data } of ROWS) await tables.createRow({ ...t, rowId: id, data: data as never });
    sequenceOfB = Number((await tables.getRow({ ...t, rowId: 'b' })).$sequence);
  });
  after(() => server.stop());

  const cases: [string, () => string[], string[]][] = [
    ['equal with several values', () => [Query.equal('name', ['Apple', 'Date'])], ['a', 'd']],
    ['notEqual', () => [Query.notEqual('name', 'Apple')], ['b', 'c', 'd', 'e']],
    ['lessThan', () => [Query.lessThan('qty', 5)], ['c']],
    ['lessThanEqual', () => [Query.lessThanEqual('qty', 5)], ['a', 'c']],
    ['greaterThan on floats', () => [Query.greaterThan('price', 1.5)], ['d', 'e']],
    ['greaterThanEqual', () => [Query.greaterThanEqual('price', 1.5)], ['a', 'd', 'e']],
    ['between', () => [Query.between('qty', 5, 12)], ['a', 'b', 'e']],
    ['notBetween', () => [Query.notBetween('qty', 5, 12)], ['c', 'd']],
    ['isNull', () => [Query.isNull('note')], ['a', 'c']],
    ['isNotNull', () => [Query.isNotNull('note')], ['b', 'd', 'e']],
    ['startsWith is case-sensitive', () => [Query.startsWith('name', 'A')], ['a']],
    ['notStartsWith', () => [Query.notStartsWith('name', 'A')], ['b', 'c', 'd', 'e']],
    ['endsWith', () => [Query.endsWith('name', 't')], ['c', 'e']],
    ['contains on a string', () => [Query.contains('name', 'an')], ['b']],
    ['contains on a string array', () => [Query.contains('tags', 'fruit')], ['a', 'b', 'd']],
    ['contains any of several elements', () => [Query.contains('tags', ['red', 'veg'])], ['a', 'c']],
    ['contains on an integer array', () => [Query.contains('nums', [2])], ['a', 'd']],
    ['containsAny', () => [Query.containsAny('tags', ['red', 'veg'])], ['a', 'c']],
    ['containsAll', () => [Query.containsAll('tags', ['fruit', 'red'])], ['a']],
    ['containsAll on integers', () => [Query.containsAll('nums', [2, 4])], ['d']],
    ['exists', () => [Query.exists(['note', 'released'])], ['b', 'd']],
    ['notExists', () => [Query.notExists(['note'])], ['a', 'c']],
    ['notEndsWith', () => [Query.notEndsWith('name', 't')], ['a', 'b', 'd']],
    ['notSearch', () => [Query.notSearch('body', 'orange')], ['a', 'b', 'd']],
    ['createdBefore', () => [Query.createdBefore('2999-01-01T00:00:00.000+00:00'), Query.limit(1)], ['a']],
    ['notContains on an array', () => [Query.notContains('tags', 'fruit')], ['c', 'e']],
    ['equal on a boolean', () => [Query.equal('active', true)], ['a', 'b', 'd']],
    ['datetime ranges', () => [Query.greaterThan('released', '2024-02-15T00:00:00.000+00:00')], ['c', 'd']],
    ['search with a fulltext index', () => [Query.search('body', 'orange')], ['c', 'e']],
    ['search needs every word, any case', () => [Query.search('body', 'sweet fruit')], ['d']],
    ['$id and $sequence', () => [Query.equal('$id', ['b', 'e']), Query.greaterThan('$sequence', sequenceOfB)], ['e']],
    // The API shows $sequence as a string of digits, and Appwrite takes a query value in either form.
    ['$sequence given as the string the API shows', () => [Query.equal('$sequence', [String(sequenceOfB)])], ['b']],
    ['$sequence compared with a string', () => [Query.equal('$id', ['b', 'e']), Query.greaterThan('$sequence', String(sequenceOfB))], ['e']],
    ['and', () => [Query.and([Query.greaterThan('qty', 1), Query.equal('active', true)])], ['a', 'b', 'd']],
    ['or', () => [Query.or([Query.equal('name', 'Apple'), Query.lessThan('price', 0.3)])], ['a', 'c']],
    ['orderDesc', () => [Query.orderDesc('qty')], ['d', 'b', 'e', 'a', 'c']],
    ['orderAsc on floats', () => [Query.orderAsc('price')], ['c', 'b', 'a', 'e', 'd']],
    ['orderAsc puts nulls first', () => [Query.orderAsc('note'), Query.orderAsc('name')], ['a', 'c', 'e', 'b', 'd']],
    ['limit and offset', () => [Query.limit(2), Query.offset(1)], ['b', 'c']],
    ['regex with an anchor is case-sensitive', () => [Query.regex('name', '^A')], ['a']],
    ['regex with a character class', () => [Query.regex('name', '^[A-D][a-z]+t$')], ['c']],
    ['regex with alternation', () => [Query.regex('name', 'an|ot$')], ['b', 'c', 'e']],
    ['regex with a counted wildcard', () => [Query.regex('name', '^.{4}$')], ['d']],
    ['regex never matches null', () => [Query.regex('note', '^[Ss]weet$')], ['d', 'e']],
    ['regex inside or', () => [Query.or([Query.regex('name', '^B'), Query.equal('qty', 0)])], ['b', 'c']],
    ['cursorAfter', () => [Query.cursorAfter('b'), Query.limit(2)], ['c', 'd']],
    ['cursorBefore', () => [Query.cursorBefore('d'), Query.limit(2)], ['b', 'c']],
    ['cursor with an order', () => [Query.orderDesc('qty'), Query.cursorAfter('b'), Query.limit(2)], ['e', 'a']],
  ];
  for (const [name, queries, expected] of cases) {
    test(name, async () => {
      assert.deepEqual(await ids(queries()), expected);
    });
  }

  test('orderRandom returns every match in some order, and takes no cursor', async () => {
    assert.deepEqual((await ids([Query.orderRandom()])).sort(), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual((await ids([Query.orderRandom(), Query.equal('active', true)])).sort(), ['a', 'b', 'd']);
    await rejectsWith(ids([Query.orderRandom(), Query.cursorAfter('a')]), 400, 'general_query_invalid');
  });

  test('total counts every match, not the page', async () => {
    const page = await tables.listRows({ databaseId: DB, tableId: T, queries: [Query.equal('active', false), Query.limit(1)] });
    assert.equal(page.total, 2);
    assert.equal(page.rows.length, 1);
    const uncounted = await tables.listRows({ databaseId: DB, tableId: T, queries: [Query.limit(1)], total: false });
    assert.equal(uncounted.total, 0);
  });

  test('select returns the chosen columns only', async () => {
    const [row] = (await tables.listRows({ databaseId: DB, tableId: T, queries: [Query.select(['name']), Query.limit(1)] })).rows;
    assert.equal(row?.name, 'Apple');
    assert.equal('qty' in row!, false);
    assert.equal(row?.$id, 'a');
    const one = await databases.getDocument({ databaseId: DB, collectionId: T, documentId: 'b', queries: [Query.select(['qty', 'note'])] });
    assert.deepEqual([one.qty, one.note, 'name' in one], [12, 'ripe', false]);
  });

  test('paging with cursors walks every row once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const queries = [Query.orderAsc('price'), Query.limit(2), ...(cursor ? [Query.cursorAfter(cursor)] : [])];
      const rows = (await tables.listRows({ databaseId: DB, tableId: T, queries })).rows;
      if (rows.length === 0) break;
      seen.push(...rows.map((row) => row.$id));
      cursor = rows[rows.length - 1]!.$id;
    }
    assert.deepEqual(seen, ['c', 'b', 'a', 'e', 'd']);
  });

  test('bad queries are general_query_invalid; a missing cursor is general_cursor_not_found', async () => {
    await rejectsWith(ids([Query.equal('missing', 'x')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.equal('qty', 'x')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.search('name', 'x')]), 400, 'general_query_invalid');
    await rejectsWith(ids(['{not json']), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.cursorAfter('nope')]), 400, 'general_cursor_not_found');
  });

  test('regex takes a valid pattern on a string column only', async () => {
    await rejectsWith(ids([Query.regex('name', '([a-z')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.regex('name', 'a{2,1}')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.regex('qty', '^1')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.regex('active', 'true')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.regex('tags', 'fruit')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.regex('released', '^2024')]), 400, 'general_query_invalid');
    await rejectsWith(ids([Query.regex('missing', 'x')]), 400, 'general_query_invalid');
  });

  test('the fulltext index follows updates and deletes, and goes with its column', async () => {
    const t = { databaseId: DB, tableId: T };
    await tables.updateRow({ ...t, rowId: 'c', data: { body: 'purple root' } as never });
    assert.deepEqual(await ids([Query.search('body', 'orange')]), ['e']);
    assert.deepEqual(await ids([Query.search('body', 'PURPLE')]), ['c']);
    await tables.deleteRow({ ...t, rowId: 'e' });
    assert.deepEqual(await ids([Query.search('body', 'orange')]), []);
    await tables.deleteColumn({ ...t, key: 'body' });
    await waitForSchema(tables, DB, T);
    await rejectsWith(tables.getIndex({ ...t, key: 'body_text' }), 404, 'column_index_not_found');
    await rejectsWith(ids([Query.search('body', 'x')]), 400, 'general_query_invalid');
    await tables.updateRow({ ...t, rowId: 'c', data: { name: 'Carrots' } as never });
    assert.equal((await tables.getRow({ ...t, rowId: 'c' })).name, 'Carrots');
  });
});
