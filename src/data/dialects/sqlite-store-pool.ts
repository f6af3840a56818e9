import type { Driver } from 'kysely';
import type { DriverLease } from './leased-driver.js';

/** How many project files a process keeps open when `PLINTH_SQLITE_OPEN_PROJECTS` is unset (3 descriptors each). */
export const DEFAULT_OPEN_PROJECT_STORES = 256;

/**
 * The project stores a process has open, at most `capacity` of them while they are idle:
 * least recently used first out. A store is never closed while it is lent (a query or a
 * transaction in flight); if every store is busy the pool grows past its capacity for a
 * moment and shrinks again as they are given back.
 */
export interface StorePool {
  lease(storeId: string): Promise<DriverLease>;
  /** Takes a store out of the pool (dropped): it closes as soon as no one uses it. */
  retire(storeId: string): Promise<void>;
  /** Closes every store, in use or not (the process is stopping). */
  closeAll(): Promise<void>;
  /** Stores open or opening now. */
  size(): number;
}

interface PooledStore {
  readonly id: string;
  readonly ready: Promise<Driver>;
  users: number;
  retired: boolean;
  closing?: Promise<void>;
}

export function createStorePool(options: {
  capacity: number;
  open(storeId: string): Promise<Driver>;
  /** The store left the pool: drop what was kept beside it (compiled statements, schema caches). */
  onLeave(storeId: string): void;
}): StorePool {
  const capacity = Math.max(1, options.capacity);
  // Map order is recency order: a lease moves its store to the end.
  const stores = new Map<string, PooledStore>();

  function leave(store: PooledStore): void {
    stores.delete(store.id);
    store.retired = true;
    options.onLeave(store.id);
    if (store.users === 0) void shut(store);
  }

  function shrink(): void {
    for (const store of stores.values()) {
      if (stores.size <= capacity) return;
      if (store.users === 0) leave(store);
    }
  }

  return {
    async lease(storeId) {
      let store = stores.get(storeId);
      if (store) {
        stores.delete(storeId);
        stores.set(storeId, store);
      } else {
        const opening: PooledStore = { id: storeId, ready: options.open(storeId), users: 0, retired: false };
        // A store that failed to open leaves at once; the next lease tries again.
        opening.ready.catch(() => {
          if (stores.get(storeId) === opening) stores.delete(storeId);
        });
        stores.set(storeId, opening);
        store = opening;
      }
      const lent = store;
      lent.users++;
      shrink();
      let driver: Driver;
      try {
        driver = await lent.ready;
      } catch (error) {
        lent.users--;
        throw error;
      }
      let returned = false;
      return {
        driver,
        release() {
          if (returned) return;
          returned = true;
          lent.users--;
          if (lent.users > 0) return;
          if (lent.retired) void shut(lent);
          else shrink();
        },
      };
    },
    async retire(storeId) {
      const store = stores.get(storeId);
      if (!store) return;
      leave(store);
      if (store.users === 0) await shut(store);
    },
    async closeAll() {
      const open = [...stores.values()];
      stores.clear();
      await Promise.all(open.map(shut));
    },
    size: () => stores.size,
  };
}

/** Closes a store once, however many paths ask; a store that never opened has nothing to close. */
function shut(store: PooledStore): Promise<void> {
  store.closing ??= store.ready.then(
    (driver) => driver.destroy(),
    () => {},
  );
  return store.closing;
}
