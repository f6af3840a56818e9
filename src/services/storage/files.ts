import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { parseListQueries } from '../../core/queries.js';
import { deleteFileRow, listFileRows, updateFileRow } from '../../data/storage/files.js';
import { assertGrantable, DOCUMENT_PERMISSION_TYPES, grantsOf, normalisePermissions } from '../../core/permissions.js';
import type { ServiceDeps } from '../deps.js';
import type { Caller } from '../../core/caller.js';
import { assertFileChangeAllowed, bucketAllows, requireBucket, requireDeletableFile, requireReadableFile, requireUpdatableFile } from './access.js';
import { fileEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import { toFileModel, type Model } from './models.js';
import { chunkPrefix, fileObjectPath, previewPrefix } from './object-paths.js';

export const FILE_QUERY_ATTRIBUTES = ['name', 'signature', 'mimeType', 'sizeOriginal', 'chunksTotal', 'chunksUploaded'];

export async function getFile(deps: ServiceDeps, projectId: string, caller: Caller, ids: { bucketId: string; fileId: string }): Promise<Model> {
  const bucket = await requireBucket(deps, projectId, caller, ids.bucketId);
  return toFileModel(await requireReadableFile(deps, projectId, caller, bucket, ids.fileId));
}

/** With bucket read, every file; with file security, the files the caller may read; else refused. */
export async function listFiles(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  bucketId: string,
  input: { queries: string[]; search: string; total: boolean },
): Promise<{ total: number; files: Model[] }> {
  const bucket = await requireBucket(deps, projectId, caller, bucketId);
  const open = bucketAllows(caller, bucket, 'read');
  if (!open && bucket.file_security !== 1) throw new AppError('user_unauthorized');
  const list = parseListQueries(input.queries, { attributes: FILE_QUERY_ATTRIBUTES });
  const page = await listFileRows(deps.db.project(projectId), bucket.id, list, {
    total: input.total,
    ...(input.search ? { search: input.search } : {}),
    ...(open ? {} : { readableBy: caller.roles }),
  });
  return { total: page.total, files: page.rows.map(toFileModel) };
}

/**
 * Renames the file and (when given) replaces its permissions. A request that changes nothing
 * leaves the row (and its `$updatedAt`) as it was, as Appwrite does, and still publishes the event.
 */
export async function updateFile(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  ids: { bucketId: string; fileId: string },
  input: { name?: string | undefined; permissions?: string[] | null | undefined },
): Promise<Model> {
  const bucket = await requireBucket(deps, projectId, caller, ids.bucketId);
  const { file, byBucket } = await requireUpdatableFile(deps, projectId, caller, bucket, ids.fileId);
  let permissions = JSON.parse(file.permissions) as string[];
  if (input.permissions !== undefined && input.permissions !== null) {
    permissions = normalisePermissions(input.permissions, DOCUMENT_PERMISSION_TYPES);
    assertGrantable(caller, permissions);
  }
  const name = input.name ?? file.name;
  const changed = name !== file.name || JSON.stringify(permissions) !== file.permissions;
  assertFileChangeAllowed(caller, file, byBucket, changed);
  const changes = { name, permissions: JSON.stringify(permissions), search: `${file.id} ${name}`.toLowerCase(), updated_at: nowDateTime() };
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = changed ? await updateFileRow(trx, file.seq, changes, grantsOf(permissions)) : file;
    const model = toFileModel(updated);
    emit(fileEvent(projectId, bucket, updated, 'update', model));
    return model;
  });
}

/** Deletes the file (finished or half uploaded): its rows, its tokens, then its bytes and chunks. */
export async function deleteFile(deps: ServiceDeps, projectId: string, caller: Caller, ids: { bucketId: string; fileId: string }): Promise<void> {
  const bucket = await requireBucket(deps, projectId, caller, ids.bucketId);
  const file = await requireDeletableFile(deps, projectId, caller, bucket, ids.fileId);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await deleteFileRow(trx, file);
    emit(fileEvent(projectId, bucket, file, 'delete', toFileModel(file)));
  });
  await deps.files.delete(fileObjectPath(projectId, bucket.id, file.id));
  await deps.files.deletePrefix(chunkPrefix(projectId, bucket.id, file.id));
  await deps.files.deletePrefix(previewPrefix(projectId, bucket.id, file.id));
}
