import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LruCache } from './lru-cache.js';

test('keeps the most recently used entries within the count', () => {
  const cache = new LruCache<string, number>({ maxEntries: 2 });
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [1, undefined, 3]);
});

test('keeps the total weight within the limit and refuses a value heavier than it', () => {
  const cache = new LruCache<string, string>({ maxEntries: 10, maxWeight: 5, weigh: (value) => value.length });
  cache.set('a', 'xx');
  cache.set('b', 'yyy');
  cache.set('c', 'z');
  assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [undefined, 'yyy', 'z']);
  cache.set('d', 'too heavy');
  assert.equal(cache.get('d'), undefined);
  cache.set('b', 'y');
  cache.set('e', 'eee');
  assert.deepEqual([cache.get('b'), cache.get('c'), cache.get('e')], ['y', 'z', 'eee']);
});
