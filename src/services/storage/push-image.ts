import { AppError } from '../../core/errors.js';
import { findBucket } from '../../data/storage/buckets.js';
import { findFile } from '../../data/storage/files.js';
import type { ServiceDeps } from '../deps.js';
import { signPushImageToken } from './push-image-token.js';

/** Image types a push notification may show, as Appwrite accepts them. */
const PUSH_IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);

/** How long after its send time a push service may still fetch the image, as Appwrite allows. */
const PUSH_IMAGE_DAYS = 15;

/**
 * The URL a push service fetches an image file from: the file's `push` route with a token
 * valid until 15 days after `sendAt`, so the file need not be readable by anyone.
 * Refused when the file is missing or not a PNG or JPEG.
 */
export async function pushImageUrl(deps: ServiceDeps, projectId: string, bucketId: string, fileId: string, sendAt: Date): Promise<string> {
  const store = deps.db.project(projectId);
  const bucket = await findBucket(store, bucketId);
  // A missing file answers as a missing bucket, as Appwrite words it.
  if (!bucket) throw new AppError('storage_bucket_not_found');
  const file = await findFile(store, bucket.id, fileId);
  if (!file || file.status !== 'ready') throw new AppError('storage_bucket_not_found');
  if (!PUSH_IMAGE_TYPES.has(file.mime_type)) throw new AppError('storage_file_type_unsupported');
  const expiresAt = new Date(sendAt.getTime() + PUSH_IMAGE_DAYS * 24 * 3600 * 1000);
  const jwt = await signPushImageToken(deps.secretKey, projectId, { bucketId: bucket.id, fileId: file.id }, expiresAt);
  const path = `/v1/storage/buckets/${encodeURIComponent(bucket.id)}/files/${encodeURIComponent(file.id)}/push`;
  return `${deps.publicUrl}${path}?project=${encodeURIComponent(projectId)}&jwt=${jwt}`;
}
