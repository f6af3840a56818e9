import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from './errors.js';
import { parseListQueries, STORED_ORDER, type QuerySchema } from './queries.js';

const schema: QuerySchema = { attributes: ['name', 'email', 'status', 'search'] };

function q(method: string, attribute?: string, values?: unknown[]): string {
  return JSON.stringify({ method, attribute, values });
}

function rejects(raw: string[], message?: RegExp | string): void {
  assert.throws(
    () => parseListQueries(raw, schema),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.type, 'general_query_invalid');
      if (typeof message === 'string') assert.equal(error.message, message);
      else if (message) assert.match(error.message, message);
      return true;
    },
  );
}

describe('parseListQueries', () => {
  it('gives the defaults for no queries', () => {
    assert.deepEqual(parseListQueries([], schema), { filters: [], orders: [], limit: 25, offset: 0 });
  });

  it('parses filters of every kind', () => {
    const list = parseListQueries(
      [
        q('equal', 'name', ['a', 'b']),
        q('notEqual', 'status', [true]),
        q('lessThan', '$createdAt', ['2024-01-01']),
        q('greaterThanEqual', 'name', [3]),
        q('isNull', 'email'),
        q('isNotNull', 'email'),
        q('between', '$createdAt', ['2024-01-01', '2025-01-01']),
        q('notBetween', 'name', [1, 2]),
        q('startsWith', 'name', ['a']),
        q('notEndsWith', 'email', ['.org']),
        q('contains', 'name', ['x', 'y']),
        q('search', 'search', ['hello world']),
        q('notSearch', 'search', ['spam']),
      ],
      schema,
    );
    assert.deepEqual(list.filters, [
      { kind: 'compare', op: 'equal', attribute: 'name', values: ['a', 'b'] },
      { kind: 'compare', op: 'notEqual', attribute: 'status', values: [true] },
      { kind: 'compare', op: 'lessThan', attribute: '$createdAt', values: ['2024-01-01'] },
      { kind: 'compare', op: 'greaterThanEqual', attribute: 'name', values: [3] },
      { kind: 'null', negate: false, attribute: 'email' },
      { kind: 'null', negate: true, attribute: 'email' },
      { kind: 'between', negate: false, attribute: '$createdAt', low: '2024-01-01', high: '2025-01-01' },
      { kind: 'between', negate: true, attribute: 'name', low: 1, high: 2 },
      { kind: 'text', op: 'startsWith', negate: false, attribute: 'name', values: ['a'] },
      { kind: 'text', op: 'endsWith', negate: true, attribute: 'email', values: ['.org'] },
      { kind: 'text', op: 'contains', negate: false, attribute: 'name', values: ['x', 'y'] },
      { kind: 'search', negate: false, attribute: 'search', term: 'hello world' },
      { kind: 'search', negate: true, attribute: 'search', term: 'spam' },
    ]);
  });

  it('parses nested and/or objects', () => {
    const nested = JSON.stringify({
      method: 'or',
      values: [
        { method: 'equal', attribute: 'name', values: ['a'] },
        { method: 'and', values: [{ method: 'isNull', attribute: 'email' }, { method: 'greaterThan', attribute: '$id', values: ['m'] }] },
      ],
    });
    assert.deepEqual(parseListQueries([nested], schema).filters, [
      {
        kind: 'logical',
        op: 'or',
        filters: [
          { kind: 'compare', op: 'equal', attribute: 'name', values: ['a'] },
          {
            kind: 'logical',
            op: 'and',
            filters: [
              { kind: 'null', negate: false, attribute: 'email' },
              { kind: 'compare', op: 'greaterThan', attribute: '$id', values: ['m'] },
            ],
          },
        ],
      },
    ]);
  });

  it('orders by the stored order when an order names no attribute, ignoring its values, as Appwrite does', () => {
    const list = parseListQueries([JSON.stringify({ method: 'orderDesc', values: ['$id'] }), JSON.stringify({ method: 'orderAsc' })], schema);
    assert.deepEqual(list.orders, [
      { attribute: STORED_ORDER, direction: 'desc' },
      { attribute: STORED_ORDER, direction: 'asc' },
    ]);
  });

  it('parses orders, paging, cursor and select; the first limit, offset and cursor win', () => {
    const list = parseListQueries(
      [
        q('orderDesc', 'name'),
        q('orderAsc', '$createdAt'),
        q('limit', undefined, [10]),
        q('limit', undefined, [20]),
        q('offset', undefined, [5]),
        q('cursorBefore', undefined, ['u1']),
        q('cursorAfter', undefined, ['u2']),
        q('select', undefined, ['name']),
        q('select', undefined, ['email']),
      ],
      schema,
    );
    assert.deepEqual(list, {
      filters: [],
      orders: [
        { attribute: 'name', direction: 'desc' },
        { attribute: '$createdAt', direction: 'asc' },
      ],
      limit: 10,
      offset: 5,
      cursor: { direction: 'before', id: 'u1' },
      select: ['name', 'email'],
    });
  });

  it('accepts the limit bounds 0 and 5000', () => {
    assert.equal(parseListQueries([q('limit', undefined, [0])], schema).limit, 0);
    assert.equal(parseListQueries([q('limit', undefined, [5000])], schema).limit, 5000);
  });

  it('rejects what is not JSON or not a query object', () => {
    rejects(['not json'], 'Invalid query: Syntax error');
    rejects(['[1,2]'], 'Invalid query: Syntax error');
    rejects(['{"attribute":"name"}'], 'Invalid query: Syntax error');
    rejects(['{"method":"equal","attribute":"name","values":"a"}'], 'Invalid query: Syntax error');
    rejects([q('equal', 'name', ['x'.repeat(5000)])], 'Invalid query: Syntax error');
  });

  it('rejects unknown methods and the ones these lists do not support', () => {
    rejects([q('foo', 'name', ['a'])], 'Invalid query method: foo');
    rejects([q('orderRandom')], /not supported/);
    rejects([q('regex', 'name', ['a.*'])], /not supported/);
    rejects([q('containsAny', 'name', ['a'])], /not supported/);
  });

  it('rejects attributes outside the schema, in filters, orders and nested queries', () => {
    rejects([q('equal', 'password', ['a'])], 'Invalid query: Attribute not found in schema: password');
    rejects([q('orderAsc', 'password')], 'Invalid query: Attribute not found in schema: password');
    rejects([JSON.stringify({ method: 'and', values: [{ method: 'isNull', attribute: 'secret' }] })], /Attribute not found in schema: secret/);
    rejects([q('equal', undefined, ['a'])], /needs an attribute/);
  });

  it('rejects bad limits, offsets and cursors', () => {
    rejects([q('limit', undefined, [5001])], /^Invalid query: limit must be/);
    rejects([q('limit', undefined, [-1])], /^Invalid query: limit must be/);
    rejects([q('limit', undefined, [2.5])], /^Invalid query: limit must be/);
    rejects([q('limit', undefined, ['10'])], /^Invalid query: limit must be/);
    rejects([q('offset', undefined, [-5])], /^Invalid query: offset must be/);
    rejects([q('cursorAfter', undefined, [''])], /cursorAfter/);
    rejects([q('cursorAfter', undefined, [12])], /cursorAfter/);
  });

  it('rejects wrong value counts and types', () => {
    rejects([q('equal', 'name', [])]);
    rejects([q('lessThan', 'name', [1, 2])]);
    rejects([q('lessThan', 'name', [null])]);
    rejects([q('between', 'name', [1])]);
    rejects([q('between', 'name', [1, null])]);
    rejects([q('startsWith', 'name', [1])]);
    rejects([q('search', 'search', ['a', 'b'])]);
    rejects([q('equal', 'name', [{ nested: true }])]);
    rejects([q('and', undefined, [])]);
    rejects([JSON.stringify({ method: 'or', values: [{ method: 'limit', values: [1] }, { method: 'isNull', attribute: 'name' }] })], /only contain filters/);
  });

  it('caps queries at 100 and values at 500', () => {
    assert.equal(parseListQueries(Array(100).fill(q('isNull', 'name')), schema).filters.length, 100);
    rejects(Array(101).fill(q('isNull', 'name')), /Too many queries/);
    assert.equal(parseListQueries([q('equal', 'name', Array(500).fill('a'))], schema).filters.length, 1);
    rejects([q('equal', 'name', Array(501).fill('a'))], /at most 500/);
  });

  it('takes createdBefore/After/Between as plain comparisons on $createdAt', () => {
    const list = parseListQueries([q('lessThan', '$createdAt', ['2025-01-01T00:00:00.000+00:00'])], { attributes: [] });
    assert.equal(list.filters[0]?.kind, 'compare');
  });
});
