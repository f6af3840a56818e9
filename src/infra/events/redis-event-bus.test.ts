import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventBus, PlinthEvent } from './event-bus.js';
import { Redis } from 'ioredis';
import { createRedisEventBus } from './redis-event-bus.js';

const REDIS_URL = process.env.PLINTH_TEST_REDIS || 'redis://127.0.0.1:6379';

/** Fails fast when no Redis answers, so the file skips instead of hanging. */
async function pingRedis(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

function event(name: string): PlinthEvent {
  return { projectId: 'p1', names: [name], payload: { $id: name }, readableBy: ['any'], timestamp: '2030-01-01T00:00:00.000+00:00' };
}

/** Resolves with the next event a bus hands its subscribers. */
function nextEvent(bus: EventBus): Promise<PlinthEvent> {
  return new Promise((resolve) => {
    const stop = bus.subscribe((received) => {
      stop();
      resolve(received);
    });
  });
}

describe('createRedisEventBus', () => {
  let available = true;
  const buses: EventBus[] = [];
  const errors: unknown[] = [];
  const channel = `plinth:test:${randomUUID()}`;
  const makeBus = () => {
    const bus = createRedisEventBus({ url: REDIS_URL, channel, onError: (error) => errors.push(error) });
    buses.push(bus);
    return bus;
  };

  before(async () => {
    try {
      await pingRedis(REDIS_URL);
    } catch {
      available = false;
    }
  });
  after(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
  });

  it('delivers an event to the other nodes once, and to its own node once, without the echo', async (t) => {
    if (!available) return t.skip('no Redis at ' + REDIS_URL);
    const nodeA = makeBus();
    const nodeB = makeBus();
    // Each bus subscribes while it connects; a round trip on B proves its subscription is live.
    for (;;) {
      const probe = nextEvent(nodeB);
      const timer = new Promise<undefined>((resolve) => setTimeout(resolve, 200, undefined));
      await nodeA.publish(event('probe'));
      if (await Promise.race([probe, timer])) break;
    }
    const seenOnA: string[] = [];
    const seenOnB: string[] = [];
    nodeA.subscribe((e) => void seenOnA.push(e.names[0]!));
    const arrived = new Promise<void>((resolve) =>
      nodeB.subscribe((e) => {
        seenOnB.push(e.names[0]!);
        if (e.names[0] === 'second') resolve();
      }),
    );
    await nodeA.publish(event('first'));
    assert.deepEqual(seenOnA, ['first'], 'publish waits for the local handlers');
    await nodeA.publish(event('second'));
    await arrived;
    assert.deepEqual(seenOnB.filter((name) => name !== 'probe'), ['first', 'second'], 'in order, once each');
    assert.deepEqual(seenOnA, ['first', 'second'], 'no echo back to the publisher');
    assert.deepEqual(errors, []);
  });

  it('keeps the payload and readers intact across nodes', async (t) => {
    if (!available) return t.skip('no Redis at ' + REDIS_URL);
    const [nodeA, nodeB] = [buses[0]!, buses[1]!];
    const received = nextEvent(nodeB);
    const sent = { ...event('third'), payload: { $id: 'x', nested: { list: [1, 'two', null] } }, readableBy: ['user:u1', 'team:t1'] };
    await nodeA.publish(sent);
    assert.deepEqual(await received, sent);
  });

  it('a failing handler is reported and the others still run; close ends delivery', async (t) => {
    if (!available) return t.skip('no Redis at ' + REDIS_URL);
    const bus = makeBus();
    const failure = new Error('handler failed');
    bus.subscribe(() => {
      throw failure;
    });
    let ran = 0;
    bus.subscribe(() => void ran++);
    await bus.publish(event('fourth'));
    assert.equal(ran, 1);
    assert.ok(errors.includes(failure));
    await bus.close();
    await bus.publish(event('fifth'));
    assert.equal(ran, 1);
  });
});
