import type { Kysely, Selectable } from 'kysely';
import type { ProjectTables } from '../tables.js';

type LogTable = 'auth_logs' | 'resource_logs';

/** One key's entries of a log table, newest first, a page at a time; total counts them all. */
export async function newestLogPage<Table extends LogTable>(
  db: Kysely<ProjectTables>,
  table: Table,
  key: { column: 'user_id' | 'resource'; value: string },
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: Selectable<ProjectTables[Table]>[] }> {
  const logs = db.selectFrom(table as LogTable);
  const rows = await logs.selectAll().where(key.column, '=', key.value).orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const count = await logs
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(key.column, '=', key.value)
    .executeTakeFirstOrThrow();
  return { total: Number(count.count), rows: rows as Selectable<ProjectTables[Table]>[] };
}
