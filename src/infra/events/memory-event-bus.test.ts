import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlinthEvent } from './event-bus.js';
import { createMemoryEventBus } from './memory-event-bus.js';

function event(name = 'buckets.b1.create'): PlinthEvent {
  return { projectId: 'p1', names: [name], payload: { $id: 'b1' }, readableBy: ['any'], timestamp: '2030-01-01T00:00:00.000+00:00' };
}

describe('createMemoryEventBus', () => {
  it('delivers each event to every subscriber, and publish waits for them', async () => {
    const bus = createMemoryEventBus(() => assert.fail('no handler fails here'));
    const seen: string[] = [];
    bus.subscribe((e) => {
      seen.push(`sync:${e.names[0]}`);
    });
    bus.subscribe(async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(`async:${e.names[0]}`);
    });

    await bus.publish(event('a'));
    assert.deepEqual(seen.sort(), ['async:a', 'sync:a']);
    await bus.publish(event('b'));
    assert.deepEqual(seen.sort(), ['async:a', 'async:b', 'sync:a', 'sync:b']);
  });

  it('hands the same event object to the handlers', async () => {
    const bus = createMemoryEventBus(() => {});
    const published = event();
    let received: PlinthEvent | undefined;
    bus.subscribe((e) => {
      received = e;
    });
    await bus.publish(published);
    assert.equal(received, published);
  });

  it('runs handlers after the publisher’s turn, not inside publish()', async () => {
    const bus = createMemoryEventBus(() => {});
    const order: string[] = [];
    bus.subscribe(() => {
      order.push('handler');
    });
    const published = bus.publish(event());
    order.push('publisher continues');
    await published;
    assert.deepEqual(order, ['publisher continues', 'handler']);
  });

  it('stops delivering to a handler once unsubscribed, and only to that one', async () => {
    const bus = createMemoryEventBus(() => {});
    let first = 0;
    let second = 0;
    const unsubscribe = bus.subscribe(() => {
      first++;
    });
    bus.subscribe(() => {
      second++;
    });

    await bus.publish(event());
    unsubscribe();
    await bus.publish(event());
    unsubscribe(); // a second call is harmless
    await bus.publish(event());
    assert.equal(first, 1);
    assert.equal(second, 3);
  });

  it('a failing handler does not stop the others, and its error reaches onHandlerError', async () => {
    const errors: unknown[] = [];
    const bus = createMemoryEventBus((error) => errors.push(error));
    const delivered: string[] = [];
    const thrown = new Error('sync failure');
    const rejected = new Error('async failure');
    bus.subscribe(() => {
      delivered.push('before');
    });
    bus.subscribe(() => {
      throw thrown;
    });
    bus.subscribe(async () => {
      await Promise.resolve();
      throw rejected;
    });
    bus.subscribe(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      delivered.push('after');
    });

    await bus.publish(event()); // resolves: failures are reported, not thrown at the publisher
    assert.deepEqual(delivered.sort(), ['after', 'before']);
    assert.equal(errors.length, 2);
    assert.ok(errors.includes(thrown));
    assert.ok(errors.includes(rejected));

    // The failing handlers stay subscribed and the bus keeps working.
    await bus.publish(event());
    assert.equal(delivered.length, 4);
    assert.equal(errors.length, 4);
  });

  it('publishes to nobody without complaint, and close() drops every subscriber', async () => {
    const bus = createMemoryEventBus(() => {});
    await bus.publish(event());
    let calls = 0;
    bus.subscribe(() => {
      calls++;
    });
    await bus.close();
    await bus.publish(event());
    assert.equal(calls, 0);
  });
});
