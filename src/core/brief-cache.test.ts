import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BriefCache } from './brief-cache.js';

test('a read is shared within its time, read again once forgotten, and not kept when it fails', async () => {
  const cache = new BriefCache<number>(60_000);
  let reads = 0;
  const read = async () => ++reads;
  assert.equal(await cache.get('a', read), 1);
  assert.equal(await cache.get('a', read), 1);
  cache.forget('a');
  assert.equal(await cache.get('a', read), 2);
  await assert.rejects(cache.get('b', () => Promise.reject(new Error('down'))));
  assert.equal(await cache.get('b', read), 3);
});

test('past its key bound the cache starts afresh', async () => {
  const cache = new BriefCache<string>(60_000, 2);
  await cache.get('a', async () => 'first');
  await cache.get('b', async () => 'b');
  await cache.get('c', async () => 'c');
  assert.equal(await cache.get('a', async () => 'again'), 'again');
});
