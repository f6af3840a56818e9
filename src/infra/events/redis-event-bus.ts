import type { EventBus, EventHandler, PlinthEvent } from './event-bus.js';
import { parseExactJson, stringifyExactJson } from '../../core/exact-json.js';
import { openRedisChannel } from './redis-channel.js';

/** The Redis channel every node publishes to and listens on. */
export const REDIS_EVENTS_CHANNEL = 'plinth:events';

export interface RedisEventBusOptions {
  url: string;
  /** A handler failed, or Redis refused a publish: reported, never thrown at the publisher. */
  onError: (error: unknown) => void;
  channel?: string;
}

/**
 * The bus of many nodes: an event runs this node's handlers directly (publish waits for
 * them, as the memory bus does) and travels over Redis pub/sub to the other nodes, which
 * run theirs when it arrives. Each node skips its own echo, so a handler sees an event once.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const handlers = new Set<EventHandler>();
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

  const channel = openRedisChannel({
    url: options.url,
    channel: options.channel ?? REDIS_EVENTS_CHANNEL,
    onError: options.onError,
    onMessage(message) {
      let event: PlinthEvent;
      try {
        event = parseExactJson(message) as PlinthEvent;
      } catch (error) {
        options.onError(error);
        return;
      }
      if (event) void runHandlers(event);
    },
  });

  return {
    async publish(event: PlinthEvent) {
      if (closed) return;
      const sent = channel.publish(stringifyExactJson(event));
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
      await channel.close();
    },
  };
}
