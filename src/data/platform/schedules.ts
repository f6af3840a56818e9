import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { PlatformTables, ScheduleRow } from '../tables.js';

type Store = Kysely<PlatformTables>;

const SCHEDULES_LIST_TABLE: ListTable = {
  table: 'schedules',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    resourceType: 'resource_type',
    resourceId: 'resource_id',
    projectId: 'project_id',
    schedule: 'schedule',
    active: 'active',
  },
  booleanColumns: ['active'],
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

export async function listScheduleRows(db: Store, projectId: string, list: ParsedList, options: { total: boolean }): Promise<{ total: number; rows: ScheduleRow[] }> {
  return listRows<ScheduleRow>(db, SCHEDULES_LIST_TABLE, list, { ...options, where: { project_id: projectId } });
}

export async function deleteScheduleRow(db: Store, projectId: string, id: string): Promise<void> {
  await db.deleteFrom('schedules').where('project_id', '=', projectId).where('id', '=', id).execute();
}
