import type { Insertable, Kysely } from 'kysely';
import type { ProjectTables, ResourceLogRow } from '../tables.js';
import { newestLogPage } from './log-pages.js';

type Store = Kysely<ProjectTables>;

export async function insertResourceLog(db: Store, row: Insertable<ResourceLogRow>): Promise<void> {
  await db.insertInto('resource_logs').values(row).execute();
}

/** A resource's log, newest first, a page at a time; total counts every entry. */
export async function listResourceLogs(db: Store, resource: string, page: { limit: number; offset: number }) {
  return newestLogPage(db, 'resource_logs', { column: 'resource', value: resource }, page);
}
