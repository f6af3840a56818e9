import type { Kysely } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';

/**
 * The capabilities of the engine behind a store, for code handed the store alone (the list
 * engine). Kept per dialect adapter: every instance derived from a store (another schema, a
 * plugin, a transaction) shares its adapter.
 */
const byAdapter = new WeakMap<object, DialectCapabilities>();

/** Says which engine a store and everything derived from it runs on. */
export function noteStoreCapabilities(db: Kysely<any>, capabilities: DialectCapabilities): void {
  byAdapter.set(db.getExecutor().adapter, capabilities);
}

/** The capabilities noted for this store, if any were. */
export function storeCapabilities(db: Kysely<any>): DialectCapabilities | undefined {
  return byAdapter.get(db.getExecutor().adapter);
}
