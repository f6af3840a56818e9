import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileRow } from '../../data/storage/files.js';
import type { ServiceDeps } from '../deps.js';
import { compressStream, fileKey, openStream, sealStream } from './at-rest.js';
import { detectMimeType, SNIFF_BYTES } from './mime-types.js';
import { chunkObjectPath, fileObjectPath } from './object-paths.js';
import { writeThrough } from './write-through.js';

/** What only the whole content tells: its checksum, its type and its size at rest. */
export interface AssembledFile {
  signature: string;
  mime_type: string;
  size_actual: number;
}

/**
 * Streams the chunks in order through compression and sealing into the file's object.
 * MD5 and the type are taken from the plaintext on the way; one chunk is in memory at most
 * (zstd blocks), never the whole file. The chunks stay until the caller drops them.
 */
export async function assembleFile(deps: ServiceDeps, projectId: string, file: FileRow): Promise<AssembledFile> {
  const key = file.encryption === 1 ? fileKey(deps.secretKey, projectId) : undefined;
  const md5 = createHash('md5');
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      done(null, chunk);
    },
  });
  const stages: Transform[] = [tap];
  const compress = compressStream(file.compression);
  if (compress) stages.push(compress);
  if (key) stages.push(sealStream(key));
  const size = await writeThrough(deps, fileObjectPath(projectId, file.bucket_id, file.id), chunksInOrder(deps, projectId, file, key), stages);
  return {
    signature: md5.digest('hex'),
    mime_type: await detectMimeType(head, file.name, file.mime_type),
    size_actual: size,
  };
}

/** The chunks' plaintext one after another, each opened as it is read; fails as soon as one does. */
export function chunksInOrder(deps: ServiceDeps, projectId: string, file: FileRow, key: Buffer | undefined): Readable {
  const out = new PassThrough();
  const copy = async () => {
    for (let index = 0; index < file.chunks_total; index++) {
      const stored = await deps.files.read(chunkObjectPath(projectId, file.bucket_id, file.id, file.uploaded_by, index));
      await pipeline([stored, ...(key ? [openStream(key)] : []), out], { end: false });
    }
    out.end();
  };
  copy().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
