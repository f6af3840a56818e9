import { Transform, type Readable } from 'node:stream';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId, UNIQUE_ID_PLACEHOLDER } from '../../core/ids.js';
import type { BucketRow } from '../../data/storage/buckets.js';
import { claimAssembly, deleteFileRow, findFile, finishFile, recordChunk, reopenUpload, type FileRow } from '../../data/storage/files.js';
import { scanStream, type ClamavAddress } from '../../infra/antivirus/clamav.js';
import { assertGrantable, defaultDocumentPermissions, DOCUMENT_PERMISSION_TYPES, grantsOf, normalisePermissions } from '../../core/permissions.js';
import type { ServiceDeps } from '../deps.js';
import type { Caller } from '../../core/caller.js';
import { bucketAllows, mayContinueUpload, requireBucket, uploaderOf } from './access.js';
import { fileKey, sealStream } from './at-rest.js';
import { assembleFile, chunksInOrder } from './assembly.js';
import { fileEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import { extensionOf } from './mime-types.js';
import { toFileModel, type Model } from './models.js';
import { chunkObjectPath, chunkPrefix, uploaderPrefix } from './object-paths.js';
import { writeThrough } from './write-through.js';

/** The SDKs' chunk size: files above it arrive in chunks of exactly this many bytes. */
export const CHUNK_SIZE = 5 * 1024 * 1024;

/** `Content-Range: bytes start-end/total` of one chunk, with where it sits in the file. */
export interface ChunkRange {
  start: number;
  end: number;
  total: number;
  index: number;
  chunksTotal: number;
}

/** What the request headers say about an upload, checked before any body is read. */
export interface UploadTarget {
  projectId: string;
  caller: Caller;
  bucket: BucketRow;
  range: ChunkRange | undefined;
  /** `X-Appwrite-ID`: the file the chunk belongs to, on every chunk after the first. */
  uploadId: string | undefined;
}

/** A chunk whose bytes are stored, not yet counted. */
export interface StoredChunk {
  fileId: string;
  name: string;
  declaredType: string;
  index: number;
  chunksTotal: number;
  sizeOriginal: number;
  encryption: boolean;
  compression: string;
  /** Whose upload the chunk was stored for: its row's uploader, or the caller's when it begins one. */
  uploadedBy: string;
}

const RANGE = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/;

/** Reads `Content-Range` as the SDKs send it: whole chunks of CHUNK_SIZE from the start of the file. */
export function parseContentRange(header: string | undefined): ChunkRange | undefined {
  if (header === undefined || header === '') return undefined;
  const match = RANGE.exec(header.trim());
  if (!match) throw new AppError('storage_invalid_content_range');
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const expectedEnd = Math.min(start + CHUNK_SIZE, total) - 1;
  if (total <= 0 || start % CHUNK_SIZE !== 0 || start >= total || end !== expectedEnd) throw new AppError('storage_invalid_content_range');
  return { start, end, total, index: start / CHUNK_SIZE, chunksTotal: Math.ceil(total / CHUNK_SIZE) };
}

/** Checks the bucket, the caller's right to add files, and the declared size, before the body is read. */
export async function beginUpload(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  bucketId: string,
  headers: { contentRange: string | undefined; uploadId: string | undefined },
): Promise<UploadTarget> {
  const bucket = await requireBucket(deps, projectId, caller, bucketId);
  if (!bucketAllows(caller, bucket, 'create')) throw new AppError('user_unauthorized');
  const range = parseContentRange(headers.contentRange);
  if (range && range.total > bucket.maximum_file_size) throw new AppError('storage_invalid_file_size');
  let uploadId: string | undefined;
  if (headers.uploadId !== undefined && headers.uploadId !== '') {
    if (headers.uploadId === UNIQUE_ID_PLACEHOLDER || !isValidCustomId(headers.uploadId)) throw new AppError('storage_invalid_appwrite_id');
    uploadId = headers.uploadId;
  }
  return { projectId, caller, bucket, range, uploadId };
}

/**
 * Streams one chunk (or a whole small file) into the file store, sealed when the bucket is
 * encrypted. The name's extension is checked first, and the byte count as it flows: the
 * body stops at the first byte past what the range or the bucket allows.
 */
export async function receiveChunk(
  deps: ServiceDeps,
  target: UploadTarget,
  incoming: { fileId: string | undefined; name: string; declaredType: string; body: Readable },
): Promise<StoredChunk> {
  const { bucket, range, projectId } = target;
  const fileId = target.uploadId ?? (incoming.fileId === undefined ? undefined : resolveId(incoming.fileId));
  if (fileId === undefined) throw new AppError('general_argument_invalid', 'Param "fileId" is not optional.');
  if (!isValidCustomId(fileId)) {
    throw new AppError(
      'general_argument_invalid',
      "Invalid `fileId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
    );
  }
  const allowed = JSON.parse(bucket.allowed_file_extensions) as string[];
  if (allowed.length > 0 && !allowed.includes(extensionOf(incoming.name))) throw new AppError('storage_file_type_unsupported');

  const existing = await findFile(deps.db.project(projectId), bucket.id, fileId);
  // Someone else's upload in progress is, to this caller, a file that exists, as a finished one
  // is: checked before any byte is stored, so its chunks are never replaced.
  if (existing && (existing.status === 'ready' || !range || !mayContinueUpload(target.caller, existing))) {
    throw new AppError('storage_file_already_exists');
  }
  if (existing && (existing.size_original !== range!.total || existing.chunks_total !== range!.chunksTotal)) {
    throw new AppError('storage_invalid_content_range');
  }
  // An upload keeps the bucket's settings of its first chunk.
  const encryption = existing ? existing.encryption === 1 : bucket.encryption === 1;
  const compression = existing ? existing.compression : bucket.compression;
  const uploadedBy = existing ? existing.uploaded_by : uploaderOf(target.caller);

  const expected = range ? range.end - range.start + 1 : undefined;
  const limit = expected ?? Math.min(CHUNK_SIZE, bucket.maximum_file_size);
  const index = range?.index ?? 0;
  const path = chunkObjectPath(projectId, bucket.id, fileId, uploadedBy, index);
  const counter = countBytes(limit, () =>
    expected !== undefined
      ? new AppError('storage_invalid_content_range')
      : limit < CHUNK_SIZE
        ? new AppError('storage_invalid_file_size')
        : new AppError('storage_invalid_file_size', `Files over ${CHUNK_SIZE} bytes must be sent in chunks with a Content-Range header.`),
  );
  const stages: Transform[] = [counter.stream];
  if (encryption) stages.push(sealStream(fileKey(deps.secretKey, projectId)));
  await writeThrough(deps, path, incoming.body, stages);
  if (expected !== undefined && counter.bytes() !== expected) {
    await deps.files.delete(path);
    throw new AppError('storage_invalid_content_range');
  }
  return {
    fileId,
    name: incoming.name,
    declaredType: incoming.declaredType,
    index,
    chunksTotal: range?.chunksTotal ?? 1,
    sizeOriginal: range?.total ?? counter.bytes(),
    encryption,
    compression,
    uploadedBy,
  };
}

/**
 * Counts the stored chunk; on the last one, assembles the file and publishes its create
 * event. Permissions are those of the request that first created the file.
 */
export async function completeChunk(deps: ServiceDeps, target: UploadTarget, chunk: StoredChunk, permissions: string[] | undefined): Promise<Model> {
  const { projectId, bucket, caller } = target;
  const store = deps.db.project(projectId);
  let granted: string[];
  try {
    granted = permissions === undefined ? defaultDocumentPermissions(caller) : normalisePermissions(permissions, DOCUMENT_PERMISSION_TYPES);
    assertGrantable(caller, granted);
  } catch (error) {
    if (!(await findFile(store, bucket.id, chunk.fileId))) await deps.files.deletePrefix(uploaderPrefix(projectId, bucket.id, chunk.fileId, chunk.uploadedBy));
    throw error;
  }
  const now = nowDateTime();
  const recorded = await recordChunk(
    store,
    deps.db.dialect,
    {
      id: chunk.fileId,
      bucket_id: bucket.id,
      name: chunk.name,
      permissions: JSON.stringify(granted),
      signature: '',
      mime_type: chunk.declaredType,
      size_original: chunk.sizeOriginal,
      size_actual: 0,
      chunks_total: chunk.chunksTotal,
      chunks_uploaded: 0,
      compression: chunk.compression,
      encryption: chunk.encryption ? 1 : 0,
      status: 'uploading',
      uploaded_by: chunk.uploadedBy,
      assembly_started_at: null,
      search: `${chunk.fileId} ${chunk.name}`.toLowerCase(),
      created_at: now,
      updated_at: now,
    },
    grantsOf(granted),
    chunk.index,
  );
  if (recorded === 'finished' || recorded === 'taken') {
    await deps.files.delete(chunkObjectPath(projectId, bucket.id, chunk.fileId, chunk.uploadedBy, chunk.index));
    throw new AppError('storage_file_already_exists');
  }
  if (recorded === 'mismatch') throw new AppError('storage_invalid_content_range');
  if (recorded.chunks_uploaded < recorded.chunks_total || !(await claimAssembly(store, recorded.seq, new Date()))) return toFileModel(recorded);
  return toFileModel(await finishUpload(deps, projectId, bucket, recorded));
}

async function finishUpload(deps: ServiceDeps, projectId: string, bucket: BucketRow, file: FileRow): Promise<FileRow> {
  const store = deps.db.project(projectId);
  let done: FileRow;
  try {
    if (bucket.antivirus === 1 && deps.antivirus && !(await scanChunks(deps, deps.antivirus, projectId, file))) {
      await deleteFileRow(store, file);
      await deps.files.deletePrefix(chunkPrefix(projectId, bucket.id, file.id));
      throw new AppError('storage_invalid_file');
    }
    const assembled = await assembleFile(deps, projectId, file);
    done = await commitWithEvents(deps, projectId, async (trx, emit) => {
      const finished = await finishFile(trx, file.seq, { ...assembled, updated_at: file.updated_at });
      emit(fileEvent(projectId, bucket, finished, 'create', toFileModel(finished)));
      return finished;
    });
  } catch (error) {
    // A scanner or store out of reach leaves the upload open: a retried last chunk assembles
    // and scans it again. An infected file is gone already.
    if (!(error instanceof AppError && error.type === 'storage_invalid_file')) await reopenUpload(store, file.seq);
    throw error;
  }
  await deps.files.deletePrefix(chunkPrefix(projectId, bucket.id, file.id));
  return done;
}

/** Whether clamd finds the plaintext clean, read chunk by chunk as it will be assembled. */
async function scanChunks(deps: ServiceDeps, scanner: ClamavAddress, projectId: string, file: FileRow): Promise<boolean> {
  const key = file.encryption === 1 ? fileKey(deps.secretKey, projectId) : undefined;
  const verdict = await scanStream(scanner, chunksInOrder(deps, projectId, file, key));
  return verdict.clean;
}

function countBytes(limit: number, tooMany: () => Error): { stream: Transform; bytes: () => number } {
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limit) return done(tooMany());
      done(null, chunk);
    },
  });
  return { stream, bytes: () => bytes };
}
