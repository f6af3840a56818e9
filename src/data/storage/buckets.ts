import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import { inTransaction } from '../transactions.js';
import { uniqueOrExists } from '../duplicates.js';
import type { BucketRow } from './tables.js';
import type { ProjectTables } from '../tables.js';
export type { BucketRow } from './tables.js';

type Store = Kysely<ProjectTables>;

/** How `GET /storage/buckets` queries map onto the buckets table. */
export const BUCKETS_LIST_TABLE: ListTable = {
  table: 'buckets',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    enabled: 'enabled',
    fileSecurity: 'file_security',
    maximumFileSize: 'maximum_file_size',
    encryption: 'encryption',
    antivirus: 'antivirus',
    transformations: 'transformations',
    compression: 'compression',
  },
  searchColumn: 'search',
  booleanColumns: ['enabled', 'file_security', 'encryption', 'antivirus', 'transformations'],
  numberColumns: ['maximum_file_size'],
};

export async function insertBucket(db: Store, bucket: BucketRow): Promise<'exists' | undefined> {
  const result = await uniqueOrExists(() => db.insertInto('buckets').values(bucket).execute());
  return result === 'exists' ? 'exists' : undefined;
}

export async function findBucket(db: Store, id: string): Promise<BucketRow | undefined> {
  return (await db.selectFrom('buckets').selectAll().where('id', '=', id).executeTakeFirst()) as BucketRow | undefined;
}

export type BucketChanges = Omit<BucketRow, 'id' | 'created_at'>;

export async function updateBucketRow(db: Store, id: string, changes: BucketChanges): Promise<BucketRow | undefined> {
  await db.updateTable('buckets').set(changes).where('id', '=', id).execute();
  return findBucket(db, id);
}

/** Deletes the bucket and every row of its files (permissions, chunks, tokens) in one transaction. */
export async function deleteBucketRows(db: Store, id: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const files = trx.selectFrom('files').select('seq').where('bucket_id', '=', id);
    await trx.deleteFrom('file_permissions').where('file_seq', 'in', files).execute();
    await trx.deleteFrom('file_chunks').where('file_seq', 'in', files).execute();
    await trx.deleteFrom('file_tokens').where('bucket_id', '=', id).execute();
    await trx.deleteFrom('files').where('bucket_id', '=', id).execute();
    const result = await trx.deleteFrom('buckets').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

export async function listBucketRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }): Promise<{ total: number; rows: BucketRow[] }> {
  return listRows<BucketRow>(db, BUCKETS_LIST_TABLE, list, options);
}

/** Bytes stored for the bucket's finished files, for the model's totalSize. */
export async function bucketStoredBytes(db: Store, id: string): Promise<number> {
  const row = await db
    .selectFrom('files')
    .select((eb) => eb.fn.sum<number | string | null>('size_actual').as('bytes'))
    .where('bucket_id', '=', id)
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}
