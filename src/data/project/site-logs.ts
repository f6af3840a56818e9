import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import { EXECUTIONS_LIST_TABLE } from './executions.js';

export interface SiteLogRow {
  id: string;
  site_id: string;
  deployment_id: string;
  trigger: 'http';
  status: 'completed' | 'failed';
  request_method: string;
  request_path: string;
  request_headers: string;
  response_status_code: number;
  response_headers: string;
  logs: string;
  errors: string;
  duration: number;
  created_at: string;
  updated_at: string;
}

type Store = Kysely<{ site_logs: SiteLogRow }>;

/** A site's request is logged as an execution is: its list filters on the same attributes. */
export const SITE_LOGS_LIST_TABLE: ListTable = { ...EXECUTIONS_LIST_TABLE, table: 'site_logs' };

export async function insertSiteLog(db: Kysely<any>, row: SiteLogRow): Promise<void> {
  await (db as Store).insertInto('site_logs').values(row).execute();
}

export async function findSiteLog(db: Kysely<any>, siteId: string, id: string): Promise<SiteLogRow | undefined> {
  return (db as Store).selectFrom('site_logs').selectAll().where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
}

export async function deleteSiteLogRow(db: Kysely<any>, siteId: string, id: string): Promise<boolean> {
  const result = await (db as Store).deleteFrom('site_logs').where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listSiteLogRows(db: Kysely<any>, siteId: string, list: ParsedList, options: { total: boolean }): Promise<{ total: number; rows: SiteLogRow[] }> {
  return listRows<SiteLogRow>(db, SITE_LOGS_LIST_TABLE, list, { total: options.total, where: { site_id: siteId } });
}
