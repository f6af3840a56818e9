import type { Kysely } from 'kysely';

/** One key's entries of a log table (auth_logs, resource_logs), newest first, a page at a time; total counts them all. */
export async function newestLogPage<Row>(
  db: Kysely<any>,
  table: 'auth_logs' | 'resource_logs',
  key: { column: string; value: string },
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: Row[] }> {
  const rows = await db.selectFrom(table).selectAll().where(key.column, '=', key.value).orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const count = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(key.column, '=', key.value)
    .executeTakeFirstOrThrow();
  return { total: Number(count.count), rows: rows as Row[] };
}
