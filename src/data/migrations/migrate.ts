import type { Kysely } from 'kysely';
import { nowDateTime } from '../../core/datetime.js';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import type { Migration } from './migration.js';

const LEDGER = 'plinth_migrations';

/**
 * Applies the migrations a store has not seen yet, all in one transaction, so a store is
 * never left half-migrated. Several processes may start at once: the dialect's lock
 * makes the second wait and then find nothing left to do.
 */
export async function migrate(
  db: Kysely<any>,
  dialect: DialectCapabilities,
  migrations: readonly Migration[],
  scope: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await dialect.lockForMigration(trx, scope);
    await trx.schema
      .createTable(LEDGER)
      .ifNotExists()
      .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    const applied = new Set(
      (await trx.selectFrom(LEDGER).select('name').execute()).map((row: { name: string }) => row.name),
    );
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await migration.up(trx, dialect);
      await trx.insertInto(LEDGER).values({ name: migration.name, applied_at: nowDateTime() }).execute();
    }
  });
}
