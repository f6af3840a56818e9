import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { ListedPlatformRow, PlatformRow, PlatformTables } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

/** What `GET /project/platforms` queries may name, and the columns behind them. */
export const PLATFORMS_LIST_TABLE: ListTable = {
  table: 'platforms_listed',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    type: 'type',
    name: 'name',
    hostname: 'hostname',
    bundleIdentifier: 'bundle_identifier',
    applicationId: 'application_id',
    packageIdentifierName: 'package_identifier_name',
    packageName: 'package_name',
  },
};

/** The web hostnames registered for a project: they decide which browser origins may call it. */
export async function listWebHostnames(db: Kysely<PlatformTables>, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('platforms')
    .select('hostname')
    .where('project_id', '=', projectId)
    .where('type', '=', 'web')
    .where('hostname', 'is not', null)
    .execute();
  return rows.map((row) => row.hostname as string);
}

/** Inserts a platform; false when its id is taken (platform ids are unique across projects). */
export async function insertPlatform(db: Kysely<PlatformTables>, row: PlatformRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('platforms').values(row).execute())) !== 'exists';
}

export async function findPlatform(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<PlatformRow | undefined> {
  return db.selectFrom('platforms').selectAll().where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
}

export async function listPlatformPage(
  db: Kysely<PlatformTables>,
  projectId: string,
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; rows: ListedPlatformRow[] }> {
  return listRows<ListedPlatformRow>(db, PLATFORMS_LIST_TABLE, list, { ...options, where: { project_id: projectId } });
}

/** All of a project's platforms, oldest first. */
export async function listPlatformRows(db: Kysely<PlatformTables>, projectId: string): Promise<PlatformRow[]> {
  return db.selectFrom('platforms').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

export type PlatformChanges = Pick<PlatformRow, 'name' | 'identifier' | 'hostname' | 'updated_at'>;

/** Updates a platform of the given type; false when no such platform exists. */
export async function updatePlatformRow(
  db: Kysely<PlatformTables>,
  projectId: string,
  id: string,
  type: string,
  changes: PlatformChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('platforms')
    .set(changes)
    .where('id', '=', id)
    .where('project_id', '=', projectId)
    .where('type', '=', type)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** False when there was no such platform. */
export async function deletePlatformRow(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('platforms').where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
