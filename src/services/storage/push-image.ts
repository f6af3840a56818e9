import { AppError } from '../../core/errors.js';
import { findBucket } from '../../data/storage/buckets.js';
import { findFile } from '../../data/storage/files.js';
import type { ServiceDeps } from '../deps.js';
import { fileAllows } from './access.js';

/** Image types a push notification may show, as Appwrite accepts them. */
const PUSH_IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);

/**
 * The public `view` URL of an image file that anyone may read, for a push service to fetch.
 * Refused when the file is missing, not readable by `any`, or not a PNG or JPEG.
 */
export async function publicImageUrl(deps: ServiceDeps, projectId: string, bucketId: string, fileId: string): Promise<string> {
  const store = deps.db.project(projectId);
  const bucket = await findBucket(store, bucketId);
  // A missing file answers as a missing bucket, as Appwrite words it.
  if (!bucket) throw new AppError('storage_bucket_not_found');
  const file = await findFile(store, bucket.id, fileId);
  if (!file || file.status !== 'ready') throw new AppError('storage_bucket_not_found');
  if (bucket.enabled !== 1 || !fileAllows({ isKey: false, roles: ['any'] }, bucket, file, 'read')) throw new AppError('storage_file_not_public');
  if (!PUSH_IMAGE_TYPES.has(file.mime_type)) throw new AppError('storage_file_type_unsupported');
  const path = `/v1/storage/buckets/${encodeURIComponent(bucket.id)}/files/${encodeURIComponent(file.id)}/view`;
  return `${deps.publicUrl}${path}?project=${encodeURIComponent(projectId)}`;
}
