import type { EventBus, EventHandler, PlinthEvent } from './event-bus.js';

/** The bus of a single process: handlers run after the publisher's turn, and one failing never stops the rest. */
export function createMemoryEventBus(onHandlerError: (error: unknown) => void): EventBus {
  const handlers = new Set<EventHandler>();
  return {
    async publish(event: PlinthEvent) {
      // Without this, each handler would start synchronously inside publish().
      await Promise.resolve();
      await Promise.all(
        [...handlers].map(async (handler) => {
          try {
            await handler(event);
          } catch (error) {
            onHandlerError(error);
          }
        }),
      );
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
