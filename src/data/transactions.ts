import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `work` in the caller's transaction when `db` is one, else in a transaction of its own,
 * so a data function that needs one still composes into a larger change (a service's write
 * and the outbox rows of its events) without nesting.
 */
export function inTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}
