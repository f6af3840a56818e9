/**
 * Remembers which stores this process has brought to the current schema, so each is
 * migrated on its first use only. Concurrent first uses share one run; a failed run is
 * forgotten, so the next use tries again. Across processes, `migrate` itself serialises.
 */
export interface FirstUseMigrations {
  ensure(storeId: string, run: () => Promise<void>): Promise<void>;
  /** The store was dropped: a store created again under the same id is migrated again. */
  forget(storeId: string): void;
}

export function firstUseMigrations(): FirstUseMigrations {
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  return {
    ensure(storeId, run) {
      if (done.has(storeId)) return Promise.resolve();
      let pending = running.get(storeId);
      if (!pending) {
        pending = run().then(
          () => {
            done.add(storeId);
            running.delete(storeId);
          },
          (error: unknown) => {
            running.delete(storeId);
            throw error;
          },
        );
        running.set(storeId, pending);
      }
      return pending;
    },
    forget(storeId) {
      done.delete(storeId);
    },
  };
}
