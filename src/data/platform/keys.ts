import type { Kysely } from 'kysely';
import type { KeyRow, PlatformTables } from '../tables.js';

export async function insertKey(db: Kysely<PlatformTables>, row: KeyRow): Promise<void> {
  await db.insertInto('keys').values(row).execute();
}

export async function findKeyBySecretHash(
  db: Kysely<PlatformTables>,
  projectId: string,
  secretHash: string,
): Promise<KeyRow | undefined> {
  return db
    .selectFrom('keys')
    .selectAll()
    .where('secret_hash', '=', secretHash)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
}

export async function listKeyRows(db: Kysely<PlatformTables>, projectId: string): Promise<KeyRow[]> {
  return db.selectFrom('keys').selectAll().where('project_id', '=', projectId).orderBy('created_at').execute();
}

export async function touchKey(db: Kysely<PlatformTables>, id: string, accessedAt: string): Promise<void> {
  await db.updateTable('keys').set({ accessed_at: accessedAt }).where('id', '=', id).execute();
}
