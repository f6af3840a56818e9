import { PassThrough, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buffer as collect } from 'node:stream/consumers';
import { AppError } from '../../core/errors.js';
import type { BucketRow } from '../../data/storage/buckets.js';
import type { FileRow } from '../../data/storage/files.js';
import type { ServiceDeps } from '../deps.js';
import { fileTokenOpens } from '../tokens/index.js';
import type { Caller } from '../../core/caller.js';
import { assertBucketReadable, fileAllows, requireBucket } from './access.js';
import { decompressStream, fileKey, openStream, sliceStream } from './at-rest.js';
import { findFile } from '../../data/storage/files.js';
import { fileObjectPath } from './object-paths.js';

/** A finished file the caller may read: by its permissions, or by a file token for it. */
export async function requireFileToRead(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  ids: { bucketId: string; fileId: string; token?: string | undefined },
): Promise<{ bucket: BucketRow; file: FileRow }> {
  const bucket = await requireBucket(deps, projectId, caller, ids.bucketId);
  const byToken = ids.token ? await fileTokenOpens(deps, projectId, ids.token, ids) : false;
  if (!byToken) assertBucketReadable(caller, bucket);
  const file = await findFile(deps.db.project(projectId), bucket.id, ids.fileId);
  if (!file || file.status !== 'ready') throw new AppError('storage_file_not_found');
  if (byToken || fileAllows(caller, bucket, file, 'read')) return { bucket, file };
  throw new AppError('storage_file_not_found');
}

/** Inclusive byte offsets of the original content. */
export interface ContentRange {
  start: number;
  end: number;
}

/**
 * One `Range: bytes=…` of a file of `size` bytes: `a-b`, `a-` or `-n`. Undefined without
 * the header; 416 when it cannot be served (several ranges, or past the end).
 */
export function parseRange(header: string | undefined, size: number): ContentRange | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) throw new AppError('storage_invalid_range');
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw new AppError('storage_invalid_range');
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) throw new AppError('storage_invalid_range');
  return { start, end };
}

/** The original bytes (or a range of them), opened and decompressed as they stream. */
export async function readContent(deps: ServiceDeps, projectId: string, file: FileRow, range?: ContentRange): Promise<Readable> {
  const path = fileObjectPath(projectId, file.bucket_id, file.id);
  const plainAtRest = file.encryption !== 1 && file.compression === 'none';
  if (plainAtRest) return deps.files.read(path, range);
  const stages: Transform[] = [];
  if (file.encryption === 1) stages.push(openStream(fileKey(deps.secretKey, projectId)));
  const decompress = decompressStream(file.compression);
  if (decompress) stages.push(decompress);
  if (range) stages.push(sliceStream(range.start, range.end));
  const output = new PassThrough();
  pipeline([await deps.files.read(path), ...stages, output]).catch(() => {
    // pipeline destroys the output with the error: the response ends there.
  });
  return output;
}

export async function readWholeContent(deps: ServiceDeps, projectId: string, file: FileRow): Promise<Buffer> {
  return collect(await readContent(deps, projectId, file));
}

/** A finished file's name, type and whole content, for the server's own use (mail attachments); undefined when absent. */
export async function readStoredFile(
  deps: ServiceDeps,
  projectId: string,
  bucketId: string,
  fileId: string,
): Promise<{ name: string; mimeType: string; content: Buffer } | undefined> {
  const file = await findFile(deps.db.project(projectId), bucketId, fileId);
  if (!file || file.status !== 'ready') return undefined;
  return { name: file.name, mimeType: file.mime_type, content: await readWholeContent(deps, projectId, file) };
}
