import { sql, type Kysely } from 'kysely';
import type { WriteCounter } from './write-counter.js';

/**
 * Statement triggers calling one function per store schema. The store's Kysely names its
 * schema only in built queries, not in raw DDL, so the schema is read from the counter
 * table's own row (which must exist); the function finds its tables through the schema of
 * the table that fired it, so its body names no schema.
 */
export async function postgresCountWrites(db: Kysely<any>, tables: readonly string[], counter: WriteCounter): Promise<void> {
  const located = await db
    .selectFrom(counter.table)
    .select(sql<string>`(select n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = tableoid)`.as('schema'))
    .limit(1)
    .executeTakeFirstOrThrow();
  const schema = located.schema;
  const fn = sql.id(schema, `${counter.table}_count_write`);
  await sql`create function ${fn}() returns trigger language plpgsql as $$
    begin
      execute format('update %I.%I set %I = %I + 1', TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1], TG_ARGV[1]);
      return null;
    end $$`.execute(db);
  for (const table of tables) {
    await sql`create trigger ${sql.id(`${table}_counted`)} after insert or update or delete on ${sql.id(schema, table)}
      for each statement execute function ${fn}(${sql.lit(counter.table)}, ${sql.lit(counter.column)})`.execute(db);
  }
}
