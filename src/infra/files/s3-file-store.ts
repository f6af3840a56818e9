import type { CompletedPart } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { onFirstUse } from '../../core/load-package.js';
import { FileNotStoredError, type ByteRange, type FileStore } from './file-store.js';

const loadS3 = onFirstUse<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3');

export interface S3Settings {
  /** `http(s)://host:port` of the S3-compatible service. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Prepended to every path, so one bucket can hold several servers' files. */
  keyPrefix: string;
  /** `bucket` in the path rather than the host name: what MinIO, s3rver and most self-hosted services need. */
  forcePathStyle: boolean;
  /** Keys per list request; the service's maximum (1000) unless set lower. */
  listPageSize?: number;
}

/** Bodies up to one part go up in one request; longer ones as a multipart upload of these parts. */
const PART_SIZE = 8 * 1024 * 1024;
/** Parts uploading at once: memory held by a write is at most this many parts plus the one being read. */
const PARTS_IN_FLIGHT = 2;
/** The most keys one DeleteObjects request may name. */
const DELETE_BATCH = 1000;

/**
 * Files as objects of one S3 bucket. Writes stream: a few parts at most are held in memory,
 * whatever the body's length.
 */
export function createS3FileStore(settings: S3Settings): FileStore & { close(): void } {
  const s3 = loadS3();
  const client = new s3.S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Checksums computed while streaming are sent as trailers that not every service understands.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = settings.bucket;
  const keyOf = (path: string) => settings.keyPrefix + path;

  async function putMultipart(Key: string, first: Buffer, rest: AsyncIterator<Buffer>): Promise<number> {
    const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key }));
    const parts: Promise<CompletedPart>[] = [];
    let total = 0;
    try {
      let part: Buffer | undefined = first;
      while (part) {
        const PartNumber = parts.length + 1;
        const body: Buffer = part;
        const uploaded = client
          .send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: body, ContentLength: body.length }))
          .then(({ ETag }) => ({ ETag, PartNumber }));
        // Seen later by Promise.all; until then a failure must not count as unhandled.
        uploaded.catch(() => undefined);
        parts.push(uploaded);
        total += part.length;
        // A few parts travel while the next is read; waiting on the oldest bounds the memory held.
        if (parts.length >= PARTS_IN_FLIGHT) await parts[parts.length - PARTS_IN_FLIGHT];
        part = await nextPart(rest);
      }
      const completed = await Promise.all(parts);
      await client.send(new s3.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: completed } }));
      return total;
    } catch (error) {
      // Stop reading the body and let the parts already sent settle before dropping them.
      await rest.return?.();
      await Promise.allSettled(parts);
      await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  async function listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    // Version 1 listing, paged by the last key seen: every S3-compatible service has it,
    // while some cannot produce version 2 continuation tokens.
    let Marker: string | undefined;
    for (;;) {
      const page = await client.send(new s3.ListObjectsCommand({ Bucket, Prefix: keyOf(prefix), Marker, MaxKeys: settings.listPageSize }));
      const found = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      keys.push(...found);
      if (!page.IsTruncated || found.length === 0) return keys;
      Marker = page.NextMarker ?? found.at(-1);
    }
  }

  return {
    async write(path, body) {
      const parts = partsOf(body)[Symbol.asyncIterator]();
      const first = (await nextPart(parts)) ?? Buffer.alloc(0);
      if (first.length < PART_SIZE) {
        await client.send(new s3.PutObjectCommand({ Bucket, Key: keyOf(path), Body: first, ContentLength: first.length }));
        return first.length;
      }
      return putMultipart(keyOf(path), first, parts);
    },

    async read(path, range?: ByteRange) {
      try {
        const object = await client.send(
          new s3.GetObjectCommand({ Bucket, Key: keyOf(path), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
        );
        const body = object.Body as Readable;
        return range ? exactRange(body, range, object.ContentRange) : body;
      } catch (error) {
        if (isMissing(error)) throw new FileNotStoredError(path);
        // A range starting past the end: nothing to send, as reading a file there yields.
        if (range && statusOf(error) === 416) return Readable.from([]);
        throw error;
      }
    },

    async size(path) {
      try {
        const head = await client.send(new s3.HeadObjectCommand({ Bucket, Key: keyOf(path) }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async delete(path) {
      await client.send(new s3.DeleteObjectCommand({ Bucket, Key: keyOf(path) }));
    },

    async deletePrefix(prefix) {
      const keys = await listKeys(prefix);
      for (let at = 0; at < keys.length; at += DELETE_BATCH) {
        const batch = keys.slice(at, at + DELETE_BATCH);
        const result = await client.send(
          new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
        const failed = result.Errors?.[0];
        if (failed) throw new Error(`could not delete ${failed.Key}: ${failed.Code} ${failed.Message}`);
      }
    },

    async list(prefix) {
      return (await listKeys(prefix)).map((key) => key.slice(settings.keyPrefix.length));
    },

    close() {
      client.destroy();
    },
  };
}

/** Re-chunks a stream into parts of exactly `PART_SIZE` bytes (the last may be shorter). */
async function* partsOf(body: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
    while (pendingBytes + data.length >= PART_SIZE) {
      const take = PART_SIZE - pendingBytes;
      pending.push(data.subarray(0, take));
      yield Buffer.concat(pending);
      data = data.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (data.length > 0) {
      pending.push(data);
      pendingBytes += data.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/**
 * Some services answer a range with more than was asked (the whole object, or up to its
 * end for `bytes=0-0`): cut what came back down to the range, by its Content-Range.
 */
function exactRange(body: Readable, range: ByteRange, contentRange: string | undefined): Readable {
  const served = /^bytes (\d+)-(\d+)\//.exec(contentRange ?? '');
  const servedStart = served ? Number(served[1]) : 0;
  const servedEnd = served ? Number(served[2]) : Number.POSITIVE_INFINITY;
  if (servedStart === range.start && servedEnd <= range.end) return body;
  return Readable.from(slice(body, range.start - servedStart, range.end - range.start + 1));
}

async function* slice(body: Readable, skip: number, take: number): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) {
      let data = chunk as Buffer;
      if (skip >= data.length) {
        skip -= data.length;
        continue;
      }
      data = data.subarray(skip, skip + take);
      skip = 0;
      take -= data.length;
      if (data.length > 0) yield data;
      if (take === 0) return;
    }
  } finally {
    body.destroy();
  }
}

async function nextPart(parts: AsyncIterator<Buffer>): Promise<Buffer | undefined> {
  const next = await parts.next();
  return next.done ? undefined : next.value;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof loadS3().S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isMissing(error: unknown): boolean {
  return error instanceof loadS3().S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || statusOf(error) === 404);
}
