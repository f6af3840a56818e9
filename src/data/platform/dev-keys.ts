import type { Kysely } from 'kysely';
import type { DevKeyRow, PlatformTables } from '../tables.js';

export async function insertDevKey(db: Kysely<PlatformTables>, row: DevKeyRow): Promise<void> {
  await db.insertInto('dev_keys').values(row).execute();
}

export async function findDevKeyRow(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<DevKeyRow | undefined> {
  return db.selectFrom('dev_keys').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

/** The project's dev key of this secret hash, whatever its expiry. */
export async function findDevKeyBySecretHash(db: Kysely<PlatformTables>, projectId: string, secretHash: string): Promise<DevKeyRow | undefined> {
  return db.selectFrom('dev_keys').selectAll().where('secret_hash', '=', secretHash).where('project_id', '=', projectId).executeTakeFirst();
}

/** In the order they were created; a page of them when limit and offset are given. */
export async function listDevKeyRows(db: Kysely<PlatformTables>, projectId: string, page: { limit?: number; offset: number }): Promise<DevKeyRow[]> {
  let query = db.selectFrom('dev_keys').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').offset(page.offset);
  query = query.limit(page.limit ?? Number.MAX_SAFE_INTEGER);
  return query.execute();
}

export async function countDevKeyRows(db: Kysely<PlatformTables>, projectId: string): Promise<number> {
  const row = await db.selectFrom('dev_keys').select((eb) => eb.fn.countAll<string | number>().as('count')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Renames a key or moves its expiry; undefined when the project has no such key. */
export async function updateDevKeyRow(
  db: Kysely<PlatformTables>,
  projectId: string,
  id: string,
  changes: Pick<DevKeyRow, 'name' | 'expire' | 'updated_at'>,
): Promise<DevKeyRow | undefined> {
  const result = await db.updateTable('dev_keys').set(changes).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findDevKeyRow(db, projectId, id);
}

export async function deleteDevKeyRow(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('dev_keys').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function touchDevKey(db: Kysely<PlatformTables>, id: string, accessedAt: string): Promise<void> {
  await db.updateTable('dev_keys').set({ accessed_at: accessedAt }).where('id', '=', id).execute();
}
