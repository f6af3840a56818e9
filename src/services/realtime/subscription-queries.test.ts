import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSubscriptionQueries, payloadMatches } from './subscription-queries.js';

const q = (method: string, attribute?: string, values?: unknown[]) => JSON.stringify({ method, attribute, values });
const matches = (queries: string[], payload: unknown) => payloadMatches(parseSubscriptionQueries(queries).filters, payload);

describe('subscription queries', () => {
  it('compares payload attributes, any of an array matching', () => {
    assert.equal(matches([q('equal', 'status', ['a', 'b'])], { status: 'b' }), true);
    assert.equal(matches([q('equal', 'tags', ['x'])], { tags: ['w', 'x'] }), true);
    assert.equal(matches([q('notEqual', 'status', ['a'])], { status: 'a' }), false);
    assert.equal(matches([q('notEqual', 'status', ['a'])], {}), true);
    assert.equal(matches([q('greaterThan', 'n', [5])], { n: 6 }), true);
    assert.equal(matches([q('greaterThan', 'n', [5])], { n: '6' }), false, 'no coercion between types');
    assert.equal(matches([q('lessThanEqual', 'name', ['m'])], { name: 'b' }), true);
    assert.equal(matches([q('lessThan', 'n', [5])], { n: null }), false);
  });

  it('treats a missing attribute as null, and combines with and/or', () => {
    assert.equal(matches([q('isNull', 'gone')], {}), true);
    assert.equal(matches([q('isNotNull', 'gone')], { gone: 0 }), true);
    const either = q('or', undefined, [{ method: 'equal', attribute: 'a', values: [1] }, { method: 'isNull', attribute: 'b' }]);
    assert.equal(matches([either], { a: 2, b: 3 }), false);
    assert.equal(matches([either], { a: 1, b: 3 }), true);
    assert.equal(matches([either, q('select', undefined, ['*'])], { a: 2 }), true);
    assert.equal(matches([], 'not an object'), true);
  });

  it('refuses what needs a database, and select other than *', () => {
    for (const bad of [q('search', 'a', ['x']), q('limit', undefined, [1]), q('orderAsc', 'a'), q('select', undefined, ['a']), '{', '[]', q('or', undefined, [{ method: 'contains', attribute: 'a', values: ['x'] }])]) {
      assert.throws(() => parseSubscriptionQueries([bad]), { type: 'general_query_invalid' }, bad);
    }
  });
});
