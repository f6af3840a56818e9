import type { Kysely } from 'kysely';
import type { NewProjectRow, PlatformTables, ProjectRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

/** False when the id is taken. */
export async function insertProject(db: Kysely<PlatformTables>, row: NewProjectRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('projects').values(row).execute())) !== 'exists';
}

export async function findProject(db: Kysely<PlatformTables>, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listProjectRows(db: Kysely<PlatformTables>): Promise<ProjectRow[]> {
  return db.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** Replaces the labels (a JSON array); undefined when the project does not exist. */
export async function updateProjectLabels(
  db: Kysely<PlatformTables>,
  id: string,
  labels: string,
  updatedAt: string,
): Promise<ProjectRow | undefined> {
  const result = await db.updateTable('projects').set({ labels, updated_at: updatedAt }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findProject(db, id);
}

/** Removes the project row; its keys, platforms, settings, variables and mock phones go by cascade. */
export async function deleteProjectRow(db: Kysely<PlatformTables>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Renames a project; undefined when it does not exist. */
export async function renameProject(db: Kysely<PlatformTables>, id: string, name: string, updatedAt: string): Promise<ProjectRow | undefined> {
  const result = await db.updateTable('projects').set({ name, updated_at: updatedAt }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findProject(db, id);
}

/** Moves a project to another organization; undefined when it does not exist. */
export async function updateProjectTeam(db: Kysely<PlatformTables>, id: string, teamId: string, updatedAt: string): Promise<ProjectRow | undefined> {
  const result = await db.updateTable('projects').set({ team_id: teamId, updated_at: updatedAt }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findProject(db, id);
}

/** The projects of these organizations, oldest first. */
export async function listProjectRowsOfTeams(db: Kysely<PlatformTables>, teamIds: readonly string[]): Promise<ProjectRow[]> {
  if (teamIds.length === 0) return [];
  return db.selectFrom('projects').selectAll().where('team_id', 'in', teamIds).orderBy('created_at').orderBy('id').execute();
}
