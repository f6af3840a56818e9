import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { FileTokenRow } from './tables.js';
import type { ProjectTables } from '../tables.js';
export type { FileTokenRow } from './tables.js';

type Store = Kysely<ProjectTables>;

export const FILE_TOKENS_LIST_TABLE: ListTable = {
  table: 'file_tokens',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', expire: 'expire', accessedAt: 'accessed_at' },
};

export async function insertFileToken(db: Store, token: FileTokenRow): Promise<void> {
  await db.insertInto('file_tokens').values(token).execute();
}

export async function findFileToken(db: Store, id: string): Promise<FileTokenRow | undefined> {
  return (await db.selectFrom('file_tokens').selectAll().where('id', '=', id).executeTakeFirst()) as FileTokenRow | undefined;
}

export async function updateFileToken(db: Store, id: string, changes: Partial<Pick<FileTokenRow, 'expire' | 'accessed_at' | 'updated_at'>>): Promise<FileTokenRow | undefined> {
  await db.updateTable('file_tokens').set(changes).where('id', '=', id).execute();
  return findFileToken(db, id);
}

export async function deleteFileToken(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('file_tokens').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listFileTokenRows(
  db: Store,
  bucketId: string,
  fileId: string,
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; rows: FileTokenRow[] }> {
  return listRows<FileTokenRow>(db, FILE_TOKENS_LIST_TABLE, list, { total: options.total, where: { bucket_id: bucketId, file_id: fileId } });
}
