import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { commitWithEvents } from '../../src/services/event-outbox.js';
import { createOutboxDispatcher } from '../../src/workers/event-outbox-dispatcher.js';
import { startInProcess, type InProcess } from '../support/in-process.js';

const PROJECT = 'outboxbatch';
const BURST = 12;

const eventOf = (id: string): PlinthEvent => ({ projectId: PROJECT, names: [`tests.${id}.create`], payload: { $id: id }, readableBy: [], timestamp: new Date().toISOString() });

// Every outbox write is a commit of its own: a burst is claimed by one and removed by one.
describe('the event outbox dispatcher hands a burst on as one batch', () => {
  let app: InProcess;
  before(async () => {
    app = await startInProcess(PROJECT);
  });
  after(() => app.stop());

  test('entries committed together are claimed under one lease, handed on in order, and removed together', async () => {
    const deps = app.services.deps;
    const store = deps.db.project(PROJECT);
    const ids = Array.from({ length: BURST }, (_, i) => `e${i}`);
    const leases = () => store.selectFrom('event_outbox').select(['seq', 'claimed_until']).execute();

    const handed: string[] = [];
    const seen: { entries: number; leases: number }[] = [];
    let finished!: () => void;
    const allHanded = new Promise<void>((resolve) => (finished = resolve));
    const errors: unknown[] = [];
    const dispatcher = createOutboxDispatcher(deps, { sweepMs: 3_600_000, onError: (error) => errors.push(error) });
    dispatcher.start([
      async (event) => {
        handed.push((event.payload as { $id: string }).$id);
        const rows = await leases();
        seen.push({ entries: rows.length, leases: new Set(rows.map((row) => Number(row.claimed_until))).size });
        if (handed.length === BURST) finished();
      },
    ]);
    try {
      // One commit writes the whole burst, then its events are announced one by one.
      await commitWithEvents(deps, PROJECT, async (_trx, emit) => {
        for (const id of ids) emit(eventOf(id));
      });
      await allHanded;
      while ((await leases()).length > 0) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      await dispatcher.close();
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(handed, ids, 'each entry handed on once, oldest first');
    // Every entry stays until the batch is through, all under the lease of the one claim.
    assert.deepEqual(seen, ids.map(() => ({ entries: BURST, leases: 1 })));
  });
});
