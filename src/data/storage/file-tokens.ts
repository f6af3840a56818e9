import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';

/** A token giving access to one file, as the file_tokens table holds it. */
export interface FileTokenRow {
  id: string;
  bucket_id: string;
  file_id: string;
  expire: string | null;
  accessed_at: string | null;
  created_at: string;
  updated_at: string;
}

export const FILE_TOKENS_LIST_TABLE: ListTable = {
  table: 'file_tokens',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', expire: 'expire', accessedAt: 'accessed_at' },
};

export async function insertFileToken(db: Kysely<any>, token: FileTokenRow): Promise<void> {
  await db.insertInto('file_tokens').values(token).execute();
}

export async function findFileToken(db: Kysely<any>, id: string): Promise<FileTokenRow | undefined> {
  return (await db.selectFrom('file_tokens').selectAll().where('id', '=', id).executeTakeFirst()) as FileTokenRow | undefined;
}

export async function updateFileToken(db: Kysely<any>, id: string, changes: Partial<Pick<FileTokenRow, 'expire' | 'accessed_at' | 'updated_at'>>): Promise<FileTokenRow | undefined> {
  await db.updateTable('file_tokens').set(changes).where('id', '=', id).execute();
  return findFileToken(db, id);
}

export async function deleteFileToken(db: Kysely<any>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('file_tokens').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listFileTokenRows(
  db: Kysely<any>,
  bucketId: string,
  fileId: string,
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; rows: FileTokenRow[] }> {
  return listRows<FileTokenRow>(db, FILE_TOKENS_LIST_TABLE, list, { total: options.total, where: { bucket_id: bucketId, file_id: fileId } });
}
