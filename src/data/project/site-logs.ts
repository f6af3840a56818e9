import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { ProjectTables } from '../tables.js';
import type { SiteLogRow } from './deployable-tables.js';
import { EXECUTIONS_LIST_TABLE } from './executions.js';

export type { SiteLogRow } from './deployable-tables.js';

type Store = Kysely<ProjectTables>;

/** A site's request is logged as an execution is: its list filters on the same attributes. */
export const SITE_LOGS_LIST_TABLE: ListTable = { ...EXECUTIONS_LIST_TABLE, table: 'site_logs' };

export async function insertSiteLog(db: Store, row: SiteLogRow): Promise<void> {
  await db.insertInto('site_logs').values(row).execute();
}

export async function findSiteLog(db: Store, siteId: string, id: string): Promise<SiteLogRow | undefined> {
  return db.selectFrom('site_logs').selectAll().where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
}

export async function deleteSiteLogRow(db: Store, siteId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('site_logs').where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listSiteLogRows(db: Store, siteId: string, list: ParsedList, options: { total: boolean }): Promise<{ total: number; rows: SiteLogRow[] }> {
  return listRows<SiteLogRow>(db, SITE_LOGS_LIST_TABLE, list, { total: options.total, where: { site_id: siteId } });
}
