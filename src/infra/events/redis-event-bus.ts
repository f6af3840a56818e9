import { randomUUID } from 'node:crypto';
import { onFirstUse } from '../../core/load-package.js';
import type { EventBus, EventHandler, PlinthEvent } from './event-bus.js';
import { parseExactJson, stringifyExactJson } from '../../core/exact-json.js';

const loadIoredis = onFirstUse<typeof import('ioredis')>('ioredis');

/** The Redis channel every node publishes to and listens on. */
export const REDIS_EVENTS_CHANNEL = 'plinth:events';

export interface RedisEventBusOptions {
  url: string;
  /** A handler failed, or Redis refused a publish: reported, never thrown at the publisher. */
  onError: (error: unknown) => void;
  channel?: string;
}

interface Envelope {
  node: string;
  event: PlinthEvent;
}

/**
 * The bus of many nodes: an event runs this node's handlers directly (publish waits for
 * them, as the memory bus does) and travels over Redis pub/sub to the other nodes, which
 * run theirs when it arrives. Each node skips its own echo, so a handler sees an event once.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const { Redis } = loadIoredis();
  const channel = options.channel ?? REDIS_EVENTS_CHANNEL;
  const node = randomUUID();
  const handlers = new Set<EventHandler>();
  const publisher = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  // A connection in subscriber mode may not publish: one for each direction.
  const subscriber = new Redis(options.url, { lazyConnect: false });
  publisher.on('error', options.onError);
  subscriber.on('error', options.onError);
  const ready = subscriber.subscribe(channel).catch((error: unknown) => options.onError(error));
  let closed = false;

  async function runHandlers(event: PlinthEvent): Promise<void> {
    await Promise.all(
      [...handlers].map(async (handler) => {
        try {
          await handler(event);
        } catch (error) {
          options.onError(error);
        }
      }),
    );
  }

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let envelope: Envelope;
    try {
      envelope = parseExactJson(message) as Envelope;
    } catch (error) {
      options.onError(error);
      return;
    }
    if (envelope.node === node || !envelope.event) return;
    void runHandlers(envelope.event);
  });

  return {
    async publish(event: PlinthEvent) {
      if (closed) return;
      const sent = publisher.publish(channel, stringifyExactJson({ node, event } satisfies Envelope)).catch((error: unknown) => options.onError(error));
      // Local handlers run after the publisher's turn, as on the memory bus.
      await Promise.resolve();
      await Promise.all([runHandlers(event), sent]);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      await ready;
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
