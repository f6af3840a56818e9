import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { formatDateTime } from '../../core/datetime.js';
import type { ParsedList } from '../../core/queries.js';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import type { Grant } from '../../core/permissions.js';
import { listRows, type ListTable } from '../list-query.js';
import { inTransaction } from '../transactions.js';
import type { FileRow } from './tables.js';
import type { ProjectTables } from '../tables.js';
export type { FileRow, FileStatus } from './tables.js';

type Store = Kysely<ProjectTables>;

export type NewFileRow = Omit<FileRow, 'seq'>;

/** How `GET …/files` queries map onto the files table. */
export const FILES_LIST_TABLE: ListTable = {
  table: 'files',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    signature: 'signature',
    mimeType: 'mime_type',
    sizeOriginal: 'size_original',
    chunksTotal: 'chunks_total',
    chunksUploaded: 'chunks_uploaded',
  },
  searchColumn: 'search',
  numberColumns: ['size_original', 'chunks_total', 'chunks_uploaded'],
  defaultOrderColumn: 'seq',
};

export async function findFile(db: Store, bucketId: string, fileId: string): Promise<FileRow | undefined> {
  return (await db.selectFrom('files').selectAll().where('bucket_id', '=', bucketId).where('id', '=', fileId).executeTakeFirst()) as
    | FileRow
    | undefined;
}

/**
 * Records a stored chunk: creates the file row on its first chunk (with its grants), then
 * counts the chunk once however often it is sent. The row is locked (PostgreSQL) or the
 * transaction alone (SQLite's one connection), so two last chunks cannot both miss each
 * other. Returns the row after the change, 'finished' when the file is complete already,
 * 'taken' when someone else began it (the caller's chunk, stored apart, is not counted),
 * or 'mismatch' when it exists with another size.
 */
export async function recordChunk(
  db: Store,
  dialect: DialectCapabilities,
  file: NewFileRow,
  grants: readonly Grant[],
  chunkIndex: number,
): Promise<FileRow | 'finished' | 'taken' | 'mismatch'> {
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('files')
      .values(file)
      .onConflict((oc) => oc.columns(['bucket_id', 'id']).doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (inserted) await insertGrants(trx, Number(inserted.seq), grants);
    let query = trx.selectFrom('files').selectAll().where('bucket_id', '=', file.bucket_id).where('id', '=', file.id);
    if (dialect.skipLocked) query = query.forUpdate();
    const row = (await query.executeTakeFirstOrThrow()) as FileRow;
    if (row.status === 'ready') return 'finished';
    if (row.uploaded_by !== file.uploaded_by) return 'taken';
    if (row.size_original !== file.size_original || row.chunks_total !== file.chunks_total) return 'mismatch';
    if (row.status === 'assembling') return row;
    await trx
      .insertInto('file_chunks')
      .values({ file_seq: row.seq, chunk_index: chunkIndex })
      .onConflict((oc) => oc.columns(['file_seq', 'chunk_index']).doNothing())
      .execute();
    const counted = await trx
      .selectFrom('file_chunks')
      .select(sql<number | string>`count(*)`.as('n'))
      .where('file_seq', '=', row.seq)
      .executeTakeFirstOrThrow();
    return (await trx
      .updateTable('files')
      .set({ chunks_uploaded: Number(counted.n) })
      .where('seq', '=', row.seq)
      .returningAll()
      .executeTakeFirstOrThrow()) as FileRow;
  });
}

/** How long an assembly may run before another request may take it over (its node died). */
const ASSEMBLY_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Moves a complete upload to `assembling`; true for exactly one caller. An assembly begun
 * long ago that never finished is taken over, so a crash does not leave the file stuck.
 */
export async function claimAssembly(db: Store, seq: number, now: Date): Promise<boolean> {
  const stale = formatDateTime(new Date(now.getTime() - ASSEMBLY_TIMEOUT_MS));
  const result = await db
    .updateTable('files')
    .set({ status: 'assembling', assembly_started_at: formatDateTime(now) })
    .where('seq', '=', seq)
    .whereRef('chunks_uploaded', '>=', 'chunks_total')
    .where((eb) => eb.or([eb('status', '=', 'uploading'), eb.and([eb('status', '=', 'assembling'), eb('assembly_started_at', '<', stale)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks the file stored in full, with what only the whole content tells. */
export async function finishFile(
  db: Store,
  seq: number,
  done: Pick<FileRow, 'signature' | 'mime_type' | 'size_actual' | 'updated_at'>,
): Promise<FileRow> {
  return inTransaction(db, async (trx) => {
    await trx.deleteFrom('file_chunks').where('file_seq', '=', seq).execute();
    return (await trx
      .updateTable('files')
      .set({ ...done, status: 'ready' })
      .where('seq', '=', seq)
      .returningAll()
      .executeTakeFirstOrThrow()) as FileRow;
  });
}

/** Puts a file whose assembly failed back to `uploading`, so its last chunk can be sent again. */
export async function reopenUpload(db: Store, seq: number): Promise<void> {
  await db.updateTable('files').set({ status: 'uploading' }).where('seq', '=', seq).where('status', '=', 'assembling').execute();
}

export async function updateFileRow(
  db: Store,
  seq: number,
  changes: Pick<FileRow, 'name' | 'permissions' | 'search' | 'updated_at'>,
  grants: readonly Grant[],
): Promise<FileRow> {
  return inTransaction(db, async (trx) => {
    await trx.deleteFrom('file_permissions').where('file_seq', '=', seq).execute();
    await insertGrants(trx, seq, grants);
    return (await trx.updateTable('files').set(changes).where('seq', '=', seq).returningAll().executeTakeFirstOrThrow()) as FileRow;
  });
}

export async function deleteFileRow(db: Store, file: Pick<FileRow, 'seq' | 'bucket_id' | 'id'>): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('file_permissions').where('file_seq', '=', file.seq).execute();
    await trx.deleteFrom('file_chunks').where('file_seq', '=', file.seq).execute();
    await trx.deleteFrom('file_tokens').where('bucket_id', '=', file.bucket_id).where('file_id', '=', file.id).execute();
    await trx.deleteFrom('files').where('seq', '=', file.seq).execute();
  });
}

/** One page of a bucket's files; with `readableBy`, only files those roles may read by their own grants. */
export async function listFileRows(
  db: Store,
  bucketId: string,
  list: ParsedList,
  options: { total: boolean; search?: string; readableBy?: readonly string[] },
): Promise<{ total: number; rows: FileRow[] }> {
  return listRows<FileRow>(db, FILES_LIST_TABLE, list, {
    total: options.total,
    ...(options.search !== undefined ? { search: options.search } : {}),
    where: { bucket_id: bucketId },
    ...(options.readableBy ? { conditions: [grantedTo(db, options.readableBy)] } : {}),
  });
}

function grantedTo(db: Store, roles: readonly string[]): RawBuilder<SqlBool> {
  if (roles.length === 0) return sql<SqlBool>`1 = 0`;
  const granted = db
    .selectFrom('file_permissions as p')
    .select(sql<number>`1`.as('one'))
    // The outer query's files row, which this subquery's own tables do not name.
    .whereRef('p.file_seq', '=', sql.ref<number>('files.seq'))
    .where('p.type', '=', 'read')
    .where('p.role', 'in', [...roles]);
  return sql<SqlBool>`exists ${granted}`;
}

async function insertGrants(db: Store, seq: number, grants: readonly Grant[]): Promise<void> {
  if (grants.length === 0) return;
  await db
    .insertInto('file_permissions')
    .values(grants.map((grant) => ({ file_seq: seq, type: grant.type, role: grant.role })))
    .execute();
}
