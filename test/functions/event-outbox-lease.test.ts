import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { claimOutbox } from '../../src/data/outbox/event-outbox.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { publishOutsideTransaction } from '../../src/services/event-outbox.js';
import { createOutboxDispatcher } from '../../src/workers/event-outbox-dispatcher.js';
import { startInProcess, type InProcess } from '../support/in-process.js';

const PROJECT = 'outboxlease';
const LEASE_MS = 300;

const eventOf = (id: string): PlinthEvent => ({ projectId: PROJECT, names: [`tests.${id}.create`], payload: { $id: id }, readableBy: [], timestamp: new Date().toISOString() });

describe('the event outbox dispatcher holds its claim while a batch is handed on', () => {
  let app: InProcess;
  before(async () => {
    app = await startInProcess(PROJECT);
  });
  after(() => app.stop());

  test('a batch outlasting its lease is renewed, not taken over; an entry taken over meanwhile is left to the node that took it', async () => {
    const deps = app.services.deps;
    const store = deps.db.project(PROJECT);
    for (const id of ['first', 'second', 'third']) await publishOutsideTransaction(deps, eventOf(id));
    const leases = async () => (await store.selectFrom('event_outbox').select(['seq', 'claimed_until']).orderBy('seq').execute()).map((row) => ({ seq: Number(row.seq), until: Number(row.claimed_until) }));

    const handed: string[] = [];
    let third = 0;
    const errors: unknown[] = [];
    let arrived!: () => void;
    const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const dispatcher = createOutboxDispatcher(deps, { leaseMs: LEASE_MS, sweepMs: 3_600_000, onError: (error) => errors.push(error) });
    // The first consumer call stays busy well past the lease.
    dispatcher.start([
      async (event) => {
        handed.push((event.payload as { $id: string }).$id);
        if (handed.length === 1) {
          arrived();
          await released;
        }
      },
    ]);
    try {
      await firstArrived;
      const claimed = await leases();
      assert.equal(claimed.length, 3);
      const firstUntil = Math.max(...claimed.map((lease) => lease.until));
      // Renewed while the consumer works: every entry is leased past the first lease's end.
      while ((await leases()).some((lease) => lease.until <= firstUntil)) await delay(LEASE_MS / 6);
      assert.deepEqual(await claimOutbox(store, firstUntil + 1, firstUntil + 1 + LEASE_MS, 100), [], 'another node finds nothing to take at the first lease’s end');

      // Another node takes the third entry over (as if this node had stalled past its lease).
      third = claimed[2]!.seq;
      await store.updateTable('event_outbox').set({ claimed_until: Date.now() + 3_600_000 }).where('seq', '=', third).execute();
      const before = (await leases())[0]!.until;
      while ((await leases())[0]!.until === before) await delay(LEASE_MS / 6);
      release();
      // The batch goes on: the second is handed on and removed, the third stays with its new holder.
      while ((await leases()).length > 1) await delay(LEASE_MS / 6);
    } finally {
      release();
      await dispatcher.close();
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(handed, ['first', 'second'], 'each entry handed on once, the one taken over left to its new holder');
    assert.deepEqual((await leases()).map((lease) => lease.seq), [third]);
  });
});
