import type { Kysely } from 'kysely';
import type { NewProjectRow, PlatformTables, ProjectRow } from '../tables.js';

export async function insertProject(db: Kysely<PlatformTables>, row: NewProjectRow): Promise<void> {
  await db.insertInto('projects').values(row).execute();
}

export async function findProject(db: Kysely<PlatformTables>, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listProjectRows(db: Kysely<PlatformTables>): Promise<ProjectRow[]> {
  return db.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function deleteProjectRow(db: Kysely<PlatformTables>, id: string): Promise<void> {
  await db.deleteFrom('projects').where('id', '=', id).execute();
}
