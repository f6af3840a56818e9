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
  // Nearly every open finds nothing to do: looking first, without the lock, spares a command
  // run beside a busy server a wait for the write lock.
  if (await allApplied(db, migrations)) return;
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

async function allApplied(db: Kysely<any>, migrations: readonly Migration[]): Promise<boolean> {
  let rows: { name: string }[];
  try {
    rows = await db.selectFrom(LEDGER).select('name').execute();
  } catch {
    // No ledger yet: a new store. (Any other failure shows again inside the transaction.)
    return false;
  }
  const applied = new Set(rows.map((row) => row.name));
  return migrations.every((migration) => applied.has(migration.name));
}
