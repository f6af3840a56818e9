import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { KeyRow, PlatformTables } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

/** What `GET /project/keys` queries may name, and the columns behind them. */
export const KEYS_LIST_TABLE: ListTable = {
  table: 'keys',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    expire: 'expire',
    accessedAt: 'accessed_at',
    scopes: 'scopes',
  },
  arrayColumns: ['scopes'],
  elementEqualColumns: ['scopes'],
};

/** Inserts the key unless its id is taken (key ids are unique across projects); false when it was. */
export async function insertKey(db: Kysely<PlatformTables>, row: KeyRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('keys').values(row).execute())) !== 'exists';
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

export async function findKeyRow(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<KeyRow | undefined> {
  return db.selectFrom('keys').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

export async function listKeyPage(
  db: Kysely<PlatformTables>,
  projectId: string,
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; rows: KeyRow[] }> {
  return listRows<KeyRow>(db, KEYS_LIST_TABLE, list, { ...options, where: { project_id: projectId } });
}

/** All of a project's keys, in the order they were created. */
export async function listKeyRows(db: Kysely<PlatformTables>, projectId: string): Promise<KeyRow[]> {
  return db.selectFrom('keys').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

/** Changes what a key is and may do; undefined when the project has no such key. */
export async function updateKeyRow(
  db: Kysely<PlatformTables>,
  projectId: string,
  id: string,
  changes: Pick<KeyRow, 'name' | 'scopes' | 'expire' | 'updated_at'>,
): Promise<KeyRow | undefined> {
  const result = await db
    .updateTable('keys')
    .set(changes)
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findKeyRow(db, projectId, id);
}

/** False when the project has no such key. */
export async function deleteKeyRow(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('keys').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function touchKey(db: Kysely<PlatformTables>, id: string, accessedAt: string): Promise<void> {
  await db.updateTable('keys').set({ accessed_at: accessedAt }).where('id', '=', id).execute();
}
