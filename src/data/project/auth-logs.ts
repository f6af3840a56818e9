import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuthLogRow, ProjectTables } from '../tables.js';

type Store = Kysely<ProjectTables>;

export async function insertAuthLog(db: Store, row: Insertable<AuthLogRow>): Promise<void> {
  await db.insertInto('auth_logs').values(row).execute();
}

/** A user's activity, newest first, a page at a time; total counts every entry. */
export async function listAuthLogs(
  db: Store,
  userId: string,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: Selectable<AuthLogRow>[] }> {
  const rows = await db
    .selectFrom('auth_logs')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await db
    .selectFrom('auth_logs')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { total: Number(count.count), rows };
}
