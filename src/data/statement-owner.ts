import type { Kysely } from 'kysely';

/**
 * What the text of a statement compiled on `db` depends on, the same for a store and each of
 * its transactions (new instances every time): the plugin that names the store's schema
 * (PostgreSQL), else the adapter of the store's own Kysely instance (SQLite, one per file).
 * Caches of compiled statements are kept per owner, so a transaction finds the store's.
 */
export function statementOwner(db: Kysely<any>): object {
  const executor = db.getExecutor();
  return executor.plugins[0] ?? executor.adapter;
}
