import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { formatDateTime } from '../../src/core/datetime.js';
import { AppError } from '../../src/core/errors.js';
import { parseListQueries } from '../../src/core/queries.js';
import { listRows, type ListOptions, type ListTable } from '../../src/data/list-query.js';
import { engineLabel } from '../support/databases.js';
import { TestStore } from './helpers.js';

interface Item {
  id: string;
  name: string;
  code: string;
  score: number | null;
  active: number;
  owner: string;
  search: string;
  created_at: string;
  updated_at: string;
}

const NAMES = ['Alpha', 'beta', 'Gamma', 'delta', 'Alpha Beta', "O'Brien"];
const CODES = ['50%_off', '50x_off', '50%xoff', 'a_b', 'axb', 'Sale%', 'sale%', 'SALE'];

/** 30 rows; created_at advances every second row, so pairs tie and the id decides. */
const ITEMS: Item[] = Array.from({ length: 30 }, (_, i) => {
  const name = NAMES[i % NAMES.length]!;
  const code = CODES[i] ?? `code${i}`;
  const at = formatDateTime(new Date(Date.UTC(2025, 0, 1, 0, 0, Math.floor(i / 2))));
  return {
    id: `item${String(i).padStart(2, '0')}`,
    name,
    code,
    score: i % 5 === 0 ? null : i % 7,
    active: i % 3 === 0 ? 1 : 0,
    owner: i < 20 ? 'alice' : 'bob',
    search: `${name} ${code}`.toLowerCase(),
    created_at: at,
    updated_at: at,
  };
});

const TABLE: ListTable = {
  table: 'items',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    code: 'code',
    score: 'score',
    active: 'active',
    search: 'search',
  },
  searchColumn: 'search',
  booleanColumns: ['active'],
  numberColumns: ['score'],
};
const ATTRIBUTES = ['name', 'code', 'score', 'active', 'search'];

function q(method: string, attribute?: string, values?: unknown[]): string {
  return JSON.stringify({ method, attribute, values });
}

/** NULL is the smallest value, as listRows sorts it. */
function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function expectedIds(keep: (item: Item) => boolean, orders: [keyof Item, 'asc' | 'desc'][] = [['created_at', 'asc']]): string[] {
  const last = orders[orders.length - 1]![1];
  const full: [keyof Item, 'asc' | 'desc'][] = [...orders, ['id', last]];
  return ITEMS.filter(keep)
    .sort((a, b) => {
      for (const [key, direction] of full) {
        const order = compareValues(a[key], b[key]);
        if (order !== 0) return direction === 'asc' ? order : -order;
      }
      return 0;
    })
    .map((item) => item.id);
}

function rejectsWith(type: string) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.type, type);
    return true;
  };
}

describe(`listRows (${engineLabel})`, () => {
  let store: TestStore;
  let db: Kysely<any>;

  async function list(queries: string[], options: ListOptions = { total: true }, attributes = ATTRIBUTES) {
    const parsed = parseListQueries(queries, { attributes });
    const { total, rows } = await listRows<Item>(db, TABLE, parsed, options);
    return { total, ids: rows.map((row) => row.id) };
  }

  async function ids(queries: string[], options?: ListOptions): Promise<string[]> {
    return (await list([...queries, q('limit', undefined, [5000])], options)).ids;
  }

  before(async () => {
    store = await TestStore.create();
    const database = store.open();
    await database.migrate();
    await database.createProjectStore('lists');
    db = database.project('lists') as Kysely<any>;
    await db.schema
      .createTable('items')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('code', 'varchar(64)', (c) => c.notNull())
      .addColumn('score', 'integer')
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('owner', 'varchar(36)', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    // Inserted out of order, so that the default order cannot come from insertion.
    const shuffled = [...ITEMS].sort((a, b) => (a.id.split('').reverse().join('') < b.id.split('').reverse().join('') ? -1 : 1));
    await db.insertInto('items').values(shuffled).execute();
  });
  after(() => store.destroy());

  it('lists by created_at then id ascending, 25 per page, with the total', async () => {
    const { total, ids: page } = await list([]);
    assert.equal(total, 30);
    assert.deepEqual(page, expectedIds(() => true).slice(0, 25));
    assert.deepEqual(page.slice(0, 4), ['item00', 'item01', 'item02', 'item03']);
  });

  it('skips the count when total is false', async () => {
    const { total, ids: page } = await list([q('limit', undefined, [3])], { total: false });
    assert.equal(total, 0);
    assert.equal(page.length, 3);
  });

  it('counts matches regardless of limit, offset and cursor', async () => {
    const { total, ids: page } = await list([q('equal', 'active', [true]), q('limit', undefined, [2]), q('offset', undefined, [1]), q('cursorAfter', undefined, ['item00'])]);
    assert.equal(total, 10);
    assert.equal(page.length, 2);
  });

  it('filters by equal and notEqual lists, binding quotes safely', async () => {
    assert.deepEqual(await ids([q('equal', 'name', ['Alpha', 'beta'])]), expectedIds((i) => ['Alpha', 'beta'].includes(i.name)));
    assert.deepEqual(await ids([q('notEqual', 'name', ['Alpha', 'beta', 'Gamma'])]), expectedIds((i) => !['Alpha', 'beta', 'Gamma'].includes(i.name)));
    assert.deepEqual(await ids([q('equal', 'name', ["O'Brien"])]), expectedIds((i) => i.name === "O'Brien"));
    assert.deepEqual(await ids([q('equal', '$id', ['item03', 'item07', 'nope'])]), ['item03', 'item07']);
    assert.deepEqual(await ids([q('equal', 'name', ['alpha'])]), [], 'equal is case-sensitive');
  });

  it('maps booleans to 0/1 and rejects values of the wrong type', async () => {
    assert.deepEqual(await ids([q('equal', 'active', [true])]), expectedIds((i) => i.active === 1));
    assert.deepEqual(await ids([q('notEqual', 'active', [true])]), expectedIds((i) => i.active === 0));
    await assert.rejects(list([q('equal', 'active', ['yes'])]), rejectsWith('general_query_invalid'));
    await assert.rejects(list([q('greaterThan', 'score', ['abc'])]), rejectsWith('general_query_invalid'));
    await assert.rejects(list([q('startsWith', 'score', ['1'])]), rejectsWith('general_query_invalid'));
  });

  it('filters by ranges, between and null', async () => {
    const score = (i: Item) => i.score;
    assert.deepEqual(await ids([q('greaterThan', 'score', [3])]), expectedIds((i) => score(i) !== null && score(i)! > 3));
    assert.deepEqual(await ids([q('lessThanEqual', 'score', [2])]), expectedIds((i) => score(i) !== null && score(i)! <= 2));
    assert.deepEqual(await ids([q('between', 'score', [2, 4])]), expectedIds((i) => score(i) !== null && score(i)! >= 2 && score(i)! <= 4));
    assert.deepEqual(await ids([q('notBetween', 'score', [2, 4])]), expectedIds((i) => score(i) !== null && (score(i)! < 2 || score(i)! > 4)));
    assert.deepEqual(await ids([q('isNull', 'score')]), expectedIds((i) => i.score === null));
    assert.deepEqual(await ids([q('isNotNull', 'score')]), expectedIds((i) => i.score !== null));
    assert.deepEqual(await ids([q('equal', 'score', [null, 6])]), expectedIds((i) => i.score === null || i.score === 6));
    const at = ITEMS[10]!.created_at;
    assert.deepEqual(await ids([q('lessThan', '$createdAt', [at])]), expectedIds((i) => i.created_at < at));
    assert.deepEqual(await ids([q('between', '$createdAt', [ITEMS[4]!.created_at, at])]), expectedIds((i) => i.created_at >= ITEMS[4]!.created_at && i.created_at <= at));
  });

  it('matches text literally: % and _ are not wildcards, and case counts', async () => {
    assert.deepEqual(await ids([q('startsWith', 'code', ['50%'])]), ['item00', 'item02']);
    assert.deepEqual(await ids([q('startsWith', 'code', ['50%_'])]), ['item00']);
    assert.deepEqual(await ids([q('contains', 'code', ['_'])]), ['item00', 'item01', 'item03']);
    assert.deepEqual(await ids([q('endsWith', 'code', ['%'])]), ['item05', 'item06']);
    assert.deepEqual(await ids([q('startsWith', 'code', ['sale'])]), ['item06']);
    assert.deepEqual(await ids([q('contains', 'code', ['ALE'])]), ['item07']);
    assert.deepEqual(await ids([q('endsWith', 'code', ['xoff', 'b'])]), ['item02', 'item03', 'item04']);
    assert.deepEqual(await ids([q('notContains', 'code', ['_', '%'])]), expectedIds((i) => !i.code.includes('_') && !i.code.includes('%')));
    assert.deepEqual(await ids([q('notStartsWith', 'code', ['code'])]), ITEMS.slice(0, 8).map((i) => i.id));
  });

  it('nests and/or', async () => {
    const nested = JSON.stringify({
      method: 'or',
      values: [
        { method: 'equal', attribute: 'name', values: ['Gamma'] },
        { method: 'and', values: [{ method: 'greaterThan', attribute: 'score', values: [4] }, { method: 'equal', attribute: 'active', values: [true] }] },
      ],
    });
    assert.deepEqual(await ids([nested]), expectedIds((i) => i.name === 'Gamma' || (i.score !== null && i.score > 4 && i.active === 1)));
    const both = JSON.stringify({ method: 'and', values: [{ method: 'isNotNull', attribute: 'score' }, { method: 'lessThan', attribute: 'score', values: [2] }] });
    assert.deepEqual(await ids([both, q('equal', 'active', [false])]), expectedIds((i) => i.score !== null && i.score < 2 && i.active === 0));
  });

  it('searches words in any order, every word required, wildcards literal', async () => {
    const words = (item: Item, term: string) => term.toLowerCase().split(' ').every((w) => item.search.includes(w));
    assert.deepEqual(await ids([], { total: true, search: 'ALPHA' }), expectedIds((i) => words(i, 'alpha')));
    assert.deepEqual(await ids([], { total: true, search: ' beta  alpha ' }), expectedIds((i) => words(i, 'beta alpha')));
    assert.deepEqual(await ids([], { total: true, search: '50%' }), ['item00', 'item02']);
    assert.deepEqual(await ids([q('search', 'search', ['gamma'])]), expectedIds((i) => words(i, 'gamma')));
    assert.deepEqual(await ids([q('notSearch', 'search', ['alpha'])]), expectedIds((i) => !words(i, 'alpha')));
    await assert.rejects(list([q('search', 'name', ['alpha'])]), rejectsWith('general_query_invalid'));
  });

  it('orders ascending and descending, ties broken by id in the last direction', async () => {
    assert.deepEqual(await ids([q('orderAsc', 'name')]), expectedIds(() => true, [['name', 'asc']]));
    assert.deepEqual(await ids([q('orderDesc', 'score')]), expectedIds(() => true, [['score', 'desc']]));
    assert.deepEqual(await ids([q('orderAsc', 'score')]).then((page) => page.slice(0, 6)), ['item00', 'item05', 'item10', 'item15', 'item20', 'item25']);
    assert.deepEqual(await ids([q('orderDesc', 'active'), q('orderAsc', 'name')]), expectedIds(() => true, [['active', 'desc'], ['name', 'asc']]));
    assert.deepEqual(await ids([q('orderDesc', '$createdAt')]), expectedIds(() => true).reverse());
  });

  it('applies limit and offset', async () => {
    const all = expectedIds(() => true);
    assert.deepEqual((await list([q('limit', undefined, [7]), q('offset', undefined, [5])])).ids, all.slice(5, 12));
    assert.deepEqual((await list([q('limit', undefined, [0])])).ids, []);
    assert.deepEqual((await list([q('offset', undefined, [28])])).ids, all.slice(28));
  });

  for (const [label, orders] of [
    ['the default order', []],
    ['score descending with nulls and ties', [q('orderDesc', 'score')]],
    ['score ascending, name descending', [q('orderAsc', 'score'), q('orderDesc', 'name')]],
  ] as [string, string[]][]) {
    it(`pages by cursor in ${label} without gaps or repeats, both ways`, async () => {
      const full = await ids(orders);
      assert.equal(full.length, 30);

      const forward: string[] = [];
      for (let cursor: string | undefined; ; ) {
        const queries = [...orders, q('limit', undefined, [7])];
        if (cursor) queries.push(q('cursorAfter', undefined, [cursor]));
        const { ids: page } = await list(queries);
        if (page.length === 0) break;
        forward.push(...page);
        cursor = page[page.length - 1];
      }
      assert.deepEqual(forward, full);

      const backward = [full[full.length - 1]!];
      for (;;) {
        const { ids: page } = await list([...orders, q('limit', undefined, [7]), q('cursorBefore', undefined, [backward[0]])]);
        if (page.length === 0) break;
        backward.unshift(...page);
      }
      assert.deepEqual(backward, full);
    });
  }

  it('applies offset after the cursor, and filters with it', async () => {
    const full = expectedIds((i) => i.active === 0);
    const { ids: page } = await list([q('equal', 'active', [false]), q('cursorAfter', undefined, [full[3]]), q('offset', undefined, [2]), q('limit', undefined, [3])]);
    assert.deepEqual(page, full.slice(6, 9));
    const { ids: back } = await list([q('equal', 'active', [false]), q('cursorBefore', undefined, [full[10]]), q('limit', undefined, [3])]);
    assert.deepEqual(back, full.slice(7, 10));
  });

  it('keeps to the fixed where, for rows and for the cursor', async () => {
    const { total, ids: page } = await list([], { total: true, where: { owner: 'bob' } });
    assert.equal(total, 10);
    assert.deepEqual(page, expectedIds((i) => i.owner === 'bob'));
    await assert.rejects(list([q('cursorAfter', undefined, ['item01'])], { total: true, where: { owner: 'bob' } }), rejectsWith('general_cursor_not_found'));
  });

  it('rejects an unknown cursor and unknown attributes', async () => {
    await assert.rejects(list([q('cursorAfter', undefined, ['missing'])]), rejectsWith('general_cursor_not_found'));
    await assert.rejects(list([q('cursorBefore', undefined, ['missing'])]), rejectsWith('general_cursor_not_found'));
    await assert.rejects(list([q('equal', 'owner', ['bob'])]), rejectsWith('general_query_invalid'));
    await assert.rejects(list([q('orderAsc', 'owner')]), rejectsWith('general_query_invalid'));
    // Allowed by the schema but not a column of the table.
    await assert.rejects(list([q('equal', 'nothing', ['x'])], { total: true }, [...ATTRIBUTES, 'nothing']), rejectsWith('general_query_invalid'));
  });
});
