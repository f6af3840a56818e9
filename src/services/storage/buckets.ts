import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import {
  bucketStoredBytes,
  deleteBucketRows,
  findBucket,
  insertBucket,
  listBucketRows,
  updateBucketRow,
  type BucketRow,
} from '../../data/storage/buckets.js';
import { COLLECTION_PERMISSION_TYPES, normalisePermissions } from '../../core/permissions.js';
import type { ServiceDeps } from '../deps.js';
import { bucketEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import type { Kysely } from 'kysely';
import type { ProjectTables } from '../../data/tables.js';
import { toBucketModel, type Model } from './models.js';
import { bucketPrefix } from './object-paths.js';

/** Appwrite's default upload limit (`_APP_STORAGE_LIMIT`): 30 MB. */
export const DEFAULT_MAXIMUM_FILE_SIZE = 30_000_000;

export const BUCKET_QUERY_ATTRIBUTES = ['name', 'enabled', 'fileSecurity', 'maximumFileSize', 'encryption', 'antivirus', 'transformations', 'compression'];

export type Compression = 'none' | 'gzip' | 'zstd';

/** A bucket's settings as the API takes them; absent ones get Appwrite's defaults. */
export interface BucketSettings {
  name: string;
  permissions?: string[] | null | undefined;
  fileSecurity?: boolean | undefined;
  enabled?: boolean | undefined;
  maximumFileSize?: number | undefined;
  allowedFileExtensions?: string[] | undefined;
  compression?: Compression | undefined;
  encryption?: boolean | undefined;
  antivirus?: boolean | undefined;
  transformations?: boolean | undefined;
}

const ID_RULES =
  "Invalid `bucketId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";

function bucketColumns(id: string, settings: BucketSettings): Omit<BucketRow, 'id' | 'created_at' | 'updated_at'> {
  return {
    name: settings.name,
    permissions: JSON.stringify(normalisePermissions(settings.permissions ?? [], COLLECTION_PERMISSION_TYPES)),
    file_security: settings.fileSecurity ? 1 : 0,
    enabled: settings.enabled === false ? 0 : 1,
    maximum_file_size: settings.maximumFileSize ?? DEFAULT_MAXIMUM_FILE_SIZE,
    // Extensions compare without case or a leading dot.
    allowed_file_extensions: JSON.stringify([...new Set((settings.allowedFileExtensions ?? []).map((e) => e.replace(/^\./, '').toLowerCase()))]),
    compression: settings.compression ?? 'none',
    encryption: settings.encryption === false ? 0 : 1,
    antivirus: settings.antivirus === false ? 0 : 1,
    transformations: settings.transformations === false ? 0 : 1,
    search: `${id} ${settings.name}`.toLowerCase(),
  };
}

async function bucketModel(store: Kysely<ProjectTables>, bucket: BucketRow): Promise<Model> {
  return toBucketModel(bucket, await bucketStoredBytes(store, bucket.id));
}

export async function createBucket(deps: ServiceDeps, projectId: string, input: BucketSettings & { bucketId: string }): Promise<Model> {
  const id = resolveId(input.bucketId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', ID_RULES);
  const now = nowDateTime();
  const row: BucketRow = { id, ...bucketColumns(id, input), created_at: now, updated_at: now };
  const model = toBucketModel(row, 0);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if ((await insertBucket(trx, row)) === 'exists') throw new AppError('storage_bucket_already_exists');
    emit(bucketEvent(projectId, row, 'create', model));
  });
  return model;
}

export async function getBucket(deps: ServiceDeps, projectId: string, bucketId: string): Promise<Model> {
  const bucket = await findBucket(deps.db.project(projectId), bucketId);
  if (!bucket) throw new AppError('storage_bucket_not_found');
  return bucketModel(deps.db.project(projectId), bucket);
}

export async function listBuckets(
  deps: ServiceDeps,
  projectId: string,
  input: { queries: string[]; search: string; total: boolean },
): Promise<{ total: number; buckets: Model[] }> {
  const list = parseListQueries(input.queries, { attributes: BUCKET_QUERY_ATTRIBUTES });
  const page = await listBucketRows(deps.db.project(projectId), list, { total: input.total, ...(input.search ? { search: input.search } : {}) });
  return { total: page.total, buckets: await Promise.all(page.rows.map((row) => bucketModel(deps.db.project(projectId), row))) };
}

/** Replaces every setting; those not sent return to their defaults, as Appwrite does. */
export async function updateBucket(deps: ServiceDeps, projectId: string, bucketId: string, input: BucketSettings): Promise<Model> {
  const store = deps.db.project(projectId);
  const current = await findBucket(store, bucketId);
  if (!current) throw new AppError('storage_bucket_not_found');
  const settings: BucketSettings = { ...input, permissions: input.permissions ?? (JSON.parse(current.permissions) as string[]) };
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateBucketRow(trx, bucketId, { ...bucketColumns(bucketId, settings), updated_at: nowDateTime() });
    if (!updated) throw new AppError('storage_bucket_not_found');
    const model = await bucketModel(trx, updated);
    emit(bucketEvent(projectId, updated, 'update', model));
    return model;
  });
}

/** Deletes the bucket with every file in it: rows first, then the bytes. */
export async function deleteBucket(deps: ServiceDeps, projectId: string, bucketId: string): Promise<void> {
  const store = deps.db.project(projectId);
  const bucket = await findBucket(store, bucketId);
  if (!bucket) throw new AppError('storage_bucket_not_found');
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteBucketRows(trx, bucketId))) throw new AppError('storage_bucket_not_found');
    emit(bucketEvent(projectId, bucket, 'delete', toBucketModel(bucket, 0)));
  });
  await deps.files.deletePrefix(bucketPrefix(projectId, bucketId));
}
