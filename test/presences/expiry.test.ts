import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatDateTime } from '../../src/core/datetime.js';
import type { Database } from '../../src/data/database.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { keepPresencesAlive, sweepExpiredPresences, upsertPresence } from '../../src/services/presences/index.js';
import { startPresenceSweeper } from '../../src/workers/presence-sweeper.js';
import { TestStore } from '../data/helpers.js';
import { userCaller } from '../../src/core/caller.js';

const PROJECT = 'presence-expiry';
const alice = userCaller({ id: 'alice' }, ['any', 'users', 'user:alice']);
const bob = userCaller({ id: 'bob' }, ['any', 'users', 'user:bob']);

describe('presence expiry', () => {
  let store: TestStore;
  let db: Database;
  let deps: ServiceDeps;
  const published: PlinthEvent[] = [];

  before(async () => {
    store = await TestStore.create();
    db = store.open();
    // Only what presences use: the store and an event bus that records.
    deps = { db, events: { publish: async (event: PlinthEvent) => void published.push(event) } } as unknown as ServiceDeps;
  });
  after(() => store.destroy());

  const table = () => db.project(PROJECT);
  const backdate = (id: string) => table().updateTable('presences').set({ expires_at: formatDateTime(new Date(Date.now() - 1000)) }).where('id', '=', id).execute();

  it('ends an expired presence with a delete event to its readers, once', async () => {
    const presence = await upsertPresence(deps, PROJECT, alice, 'alice-tab', { status: 'online', permissions: ['read("users")'] }, 'realtime');
    const lifetime = Date.parse(presence.expiresAt as string) - Date.now();
    assert.ok(lifetime > 60_000 && lifetime <= 120_000, `a realtime presence lives two minutes, got ${lifetime}`);
    await backdate('alice-tab');
    published.length = 0;
    assert.equal(await sweepExpiredPresences(deps, PROJECT), 1);
    assert.equal(published.length, 1);
    assert.ok(published[0]!.names.includes('presences.alice-tab.delete'));
    assert.deepEqual(published[0]!.readableBy, ['users']);
    assert.equal(await sweepExpiredPresences(deps, PROJECT), 0);
    assert.equal((await table().selectFrom('presence_permissions').selectAll().execute()).length, 0);
  });

  it('keeps a live connection’s presence from lapsing', async () => {
    await upsertPresence(deps, PROJECT, alice, 'alice-tab', { status: 'online' }, 'realtime');
    await backdate('alice-tab');
    await keepPresencesAlive(deps, PROJECT, 'alice', ['alice-tab']);
    assert.equal(await sweepExpiredPresences(deps, PROJECT), 0);
    const row = await table().selectFrom('presences').select('expires_at').where('id', '=', 'alice-tab').executeTakeFirstOrThrow();
    assert.ok(Date.parse(row.expires_at ?? '') > Date.now());
  });

  it('ends on a timer the presences of a node that died, with no write or list to the project', async () => {
    await upsertPresence(deps, PROJECT, bob, 'bob-gone', { status: 'online', permissions: ['read("users")'] }, 'realtime');
    // The node that kept it alive is gone: its lifetime runs out.
    await backdate('bob-gone');
    published.length = 0;
    const ended = new Promise<PlinthEvent>((resolve) => {
      deps.events.publish = async (event: PlinthEvent) => resolve(event);
    });
    const sweeper = startPresenceSweeper(deps, { everyMs: 10, projects: async () => [PROJECT], onError: (error) => assert.fail(String(error)) });
    // The sweeper's timer does not hold a process open; the test waits on it.
    const awake = setInterval(() => {}, 1000);
    try {
      const event = await ended;
      assert.ok(event.names.includes('presences.bob-gone.delete'));
      assert.deepEqual(event.readableBy, ['users']);
    } finally {
      clearInterval(awake);
      await sweeper.close();
      deps.events.publish = async (event: PlinthEvent) => void published.push(event);
    }
    assert.equal(await table().selectFrom('presences').select('id').where('id', '=', 'bob-gone').executeTakeFirst(), undefined);
  });
});
