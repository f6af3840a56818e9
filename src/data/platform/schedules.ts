import { sql, type Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { DialectCapabilities, JsonRowType } from '../dialects/capabilities.js';
import type { PlatformTables, ScheduleRow } from '../tables.js';

type Store = Kysely<PlatformTables>;

const SCHEDULE_COLUMNS = ['id', 'project_id', 'resource_type', 'resource_id', 'resource_updated_at', 'schedule', 'data', 'active', 'created_at', 'updated_at'] as const;

/** API attribute -> column of the listed row set. */
const SCHEDULE_QUERY_COLUMNS: Readonly<Record<string, string>> = {
  $id: 'id',
  $createdAt: 'created_at',
  $updatedAt: 'updated_at',
  resourceType: 'resource_type',
  resourceId: 'resource_id',
  projectId: 'project_id',
  schedule: 'schedule',
  active: 'active',
  region: 'region',
};

/**
 * The project's stored schedules and, beside them, the ones its resources imply (passed in),
 * as one row set built in the statement, so the list takes every query, cursor and total from
 * the same compiler as stored lists. The implied rows travel as one JSON parameter, however many
 * scheduled executions a project holds. There is one region, named as projects name it.
 */
function schedulesListTable(db: Store, dialect: DialectCapabilities, projectId: string, implied: readonly ScheduleRow[]): ListTable {
  const stored = db.selectFrom('schedules').select(SCHEDULE_COLUMNS).select(sql.lit('default').as('region')).where('project_id', '=', projectId);
  const impliedRows = dialect.jsonRows(JSON.stringify(implied), IMPLIED_COLUMN_TYPES);
  // SQLite takes no parenthesised select in a compound, so both sides are selected from.
  const union = sql`select * from ${stored} as stored union all select ${sql.join(SCHEDULE_COLUMNS.map((column) => sql.id(column)))}, ${sql.lit('default')} from ${impliedRows} as implied`;
  return {
    table: sql<ScheduleRow & { region: string }>`(${union})`.as('schedules'),
    columns: SCHEDULE_QUERY_COLUMNS,
    booleanColumns: ['active'],
  };
}

const IMPLIED_COLUMN_TYPES: Readonly<Record<(typeof SCHEDULE_COLUMNS)[number], JsonRowType>> = {
  id: 'text',
  project_id: 'text',
  resource_type: 'text',
  resource_id: 'text',
  resource_updated_at: 'text',
  schedule: 'text',
  data: 'text',
  active: 'integer',
  created_at: 'text',
  updated_at: 'text',
};

/** False when a schedule of this id exists already. */
export async function insertSchedule(db: Store, row: ScheduleRow): Promise<boolean> {
  const result = await db
    .insertInto('schedules')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function findSchedule(db: Store, projectId: string, id: string): Promise<ScheduleRow | undefined> {
  return db.selectFrom('schedules').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

/** The attributes a schedule list may filter and order on. */
export const SCHEDULE_QUERY_ATTRIBUTES = Object.keys(SCHEDULE_QUERY_COLUMNS);

/** A page of the project's stored schedules together with those its resources imply. */
export async function listScheduleRows(
  db: Store,
  dialect: DialectCapabilities,
  projectId: string,
  implied: readonly ScheduleRow[],
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; rows: ScheduleRow[] }> {
  const page = await listRows<ScheduleRow & { region: string }>(db, schedulesListTable(db, dialect, projectId, implied), list, options);
  return { total: page.total, rows: page.rows.map(({ region: _region, ...row }) => ({ ...row, active: Number(row.active) })) };
}

export async function deleteScheduleRow(db: Store, projectId: string, id: string): Promise<void> {
  await db.deleteFrom('schedules').where('project_id', '=', projectId).where('id', '=', id).execute();
}
