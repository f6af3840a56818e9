import type { Insertable, Kysely } from 'kysely';
import type { AuthLogRow, ProjectTables } from '../tables.js';
import { newestLogPage } from './log-pages.js';

type Store = Kysely<ProjectTables>;

export async function insertAuthLog(db: Store, row: Insertable<AuthLogRow>): Promise<void> {
  await db.insertInto('auth_logs').values(row).execute();
}

/** A user's activity, newest first, a page at a time; total counts every entry. */
export async function listAuthLogs(db: Store, userId: string, page: { limit: number; offset: number }) {
  return newestLogPage(db, 'auth_logs', { column: 'user_id', value: userId }, page);
}
