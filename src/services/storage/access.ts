import type { Caller } from '../../core/caller.js';
import { AppError } from '../../core/errors.js';
import { findBucket, type BucketRow } from '../../data/storage/buckets.js';
import { findFile, type FileRow } from '../../data/storage/files.js';
import { grants, type PermissionType } from '../../core/permissions.js';
import type { ServiceDeps } from '../deps.js';

/** The bucket; a disabled one does not exist for anyone but those acting for the project. */
export async function requireBucket(deps: ServiceDeps, projectId: string, caller: Caller, bucketId: string): Promise<BucketRow> {
  const bucket = await findBucket(deps.db.project(projectId), bucketId);
  if (!bucket || (!caller.actsForProject && bucket.enabled !== 1)) throw new AppError('storage_bucket_not_found');
  return bucket;
}

/** Whose an upload is: `user:ID`, `key` or `guest`, as the files table keeps it. */
export function uploaderOf(caller: Caller): string {
  if (caller.actsForProject) return 'key';
  return caller.userId === undefined ? 'guest' : `user:${caller.userId}`;
}

/**
 * Whether the caller may send chunks to an unfinished upload: the one who began it, or one
 * acting for the project. Anyone else may not replace its bytes or complete it with their own.
 */
export function mayContinueUpload(caller: Caller, file: FileRow): boolean {
  return caller.actsForProject || file.uploaded_by === uploaderOf(caller);
}

export function bucketAllows(caller: Caller, bucket: BucketRow, type: PermissionType): boolean {
  return caller.actsForProject || grants(JSON.parse(bucket.permissions) as string[], type, caller.roles);
}

/** Bucket permission, or (with file security on) the file's own. */
export function fileAllows(caller: Caller, bucket: BucketRow, file: FileRow, type: PermissionType): boolean {
  if (bucketAllows(caller, bucket, type)) return true;
  return bucket.file_security === 1 && grants(JSON.parse(file.permissions) as string[], type, caller.roles);
}

/**
 * Refuses a reader the bucket does not let read when its files carry no permissions of their
 * own: 401 whether or not the file exists, as Appwrite answers, before any file is looked up.
 */
export function assertBucketReadable(caller: Caller, bucket: BucketRow): void {
  if (bucket.file_security !== 1 && !bucketAllows(caller, bucket, 'read')) {
    throw new AppError('user_unauthorized', "No permissions provided for action 'read'");
  }
}

/** The file, when the caller may read it; a file they may not read does not exist for them. */
export async function requireReadableFile(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  bucket: BucketRow,
  fileId: string,
): Promise<FileRow> {
  assertBucketReadable(caller, bucket);
  const file = await findFile(deps.db.project(projectId), bucket.id, fileId);
  if (!file || !fileAllows(caller, bucket, file, 'read')) throw new AppError('storage_file_not_found');
  return file;
}

/**
 * The file a caller means to update, and whether the bucket alone lets them. Reading it is not
 * required, as in Appwrite: without the bucket's update permission and without file security the
 * answer is 401 before the file is looked up; otherwise a missing file is 404, and the file's own
 * grants are weighed by `assertFileChangeAllowed` once the change is known.
 */
export async function requireUpdatableFile(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  bucket: BucketRow,
  fileId: string,
): Promise<{ file: FileRow; byBucket: boolean }> {
  const byBucket = bucketAllows(caller, bucket, 'update');
  if (!byBucket && bucket.file_security !== 1) throw new AppError('user_unauthorized');
  const file = await findFile(deps.db.project(projectId), bucket.id, fileId);
  if (!file) throw new AppError('storage_file_not_found');
  return { file, byBucket };
}

/**
 * With file security and no bucket grant, a change needs the file's update permission and a
 * request that changes nothing needs only its read permission, as Appwrite's storage layer weighs it.
 */
export function assertFileChangeAllowed(caller: Caller, file: FileRow, byBucket: boolean, changes: boolean): void {
  if (byBucket) return;
  if (!grants(JSON.parse(file.permissions) as string[], changes ? 'update' : 'read', caller.roles)) throw new AppError('user_unauthorized');
}

/**
 * The file, when the caller may delete it; reading it is not required, as in Appwrite. Without
 * the bucket's delete permission and without file security, the answer is 401 before the file
 * is looked up; with file security, a missing file is 404 and a file the caller may not delete 401.
 */
export async function requireDeletableFile(deps: ServiceDeps, projectId: string, caller: Caller, bucket: BucketRow, fileId: string): Promise<FileRow> {
  const byBucket = bucketAllows(caller, bucket, 'delete');
  if (!byBucket && bucket.file_security !== 1) throw new AppError('user_unauthorized');
  const file = await findFile(deps.db.project(projectId), bucket.id, fileId);
  if (!file) throw new AppError('storage_file_not_found');
  if (!byBucket && !grants(JSON.parse(file.permissions) as string[], 'delete', caller.roles)) throw new AppError('user_unauthorized');
  return file;
}
