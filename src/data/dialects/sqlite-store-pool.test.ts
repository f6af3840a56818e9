import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Driver } from 'kysely';
import { createStorePool } from './sqlite-store-pool.js';

/** A pool over stand-in drivers that record which stores are open. */
function poolOf(capacity: number, failFirstOpenOf?: string) {
  const open = new Set<string>();
  const left: string[] = [];
  let failing = failFirstOpenOf;
  const pool = createStorePool({
    capacity,
    async open(id) {
      if (id === failing) {
        failing = undefined;
        throw new Error(`cannot open ${id}`);
      }
      open.add(id);
      return { destroy: async () => void open.delete(id) } as Driver;
    },
    onLeave: (id) => left.push(id),
  });
  return { pool, open, left };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('store pool', () => {
  it('keeps at most its capacity of idle stores open, closing the least recently used', async () => {
    const { pool, open, left } = poolOf(2);
    for (const id of ['a', 'b', 'a', 'c']) (await pool.lease(id)).release();
    await settle();
    assert.deepEqual([...open].sort(), ['a', 'c']);
    assert.deepEqual(left, ['b']);
    assert.equal(pool.size(), 2);
  });

  it('never closes a store that is lent; past capacity the others close as they are given back', async () => {
    const { pool, open } = poolOf(1);
    const busy = await pool.lease('a');
    const b = await pool.lease('b');
    assert.deepEqual([...open].sort(), ['a', 'b'], 'over capacity for a moment: both are in use');
    b.release();
    (await pool.lease('c')).release();
    await settle();
    assert.deepEqual([...open], ['a'], 'the lent store stays open');
    busy.release();
    busy.release();
    await settle();
    assert.deepEqual([...open], ['a'], 'within capacity again');
    assert.equal(pool.size(), 1);
  });

  it('a retired store closes when its last user gives it back; the next lease opens it anew', async () => {
    const { pool, open, left } = poolOf(4);
    const busy = await pool.lease('a');
    await pool.retire('a');
    assert.ok(open.has('a'));
    busy.release();
    await settle();
    assert.equal(open.has('a'), false);
    assert.deepEqual(left, ['a']);
    (await pool.lease('a')).release();
    assert.ok(open.has('a'));
  });

  it('a store that failed to open is tried again on the next lease', async () => {
    const { pool, open } = poolOf(4, 'a');
    await assert.rejects(pool.lease('a'), /cannot open a/);
    assert.equal(pool.size(), 0);
    (await pool.lease('a')).release();
    assert.ok(open.has('a'));
  });

  it('concurrent leases of a new store open it once', async () => {
    let opened = 0;
    const pool = createStorePool({
      capacity: 4,
      async open() {
        opened++;
        return { destroy: async () => {} } as Driver;
      },
      onLeave: () => {},
    });
    const leases = await Promise.all([pool.lease('a'), pool.lease('a'), pool.lease('a')]);
    for (const lease of leases) lease.release();
    assert.equal(opened, 1);
  });

  it('closeAll closes every store, lent or not', async () => {
    const { pool, open } = poolOf(4);
    await pool.lease('a');
    (await pool.lease('b')).release();
    await pool.closeAll();
    assert.equal(open.size, 0);
    assert.equal(pool.size(), 0);
  });
});
