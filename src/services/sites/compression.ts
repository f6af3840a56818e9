import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { ByteCache } from './byte-cache.js';
import type { OutputFile } from './output-files.js';

export type Encoding = 'br' | 'gzip';

/** Below this a compressed answer saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 1024;
/** Larger files are streamed as they are rather than held compressed. */
const MAX_COMPRESS_BYTES = 8 * 1024 * 1024;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
/** Compressed bytes per file, version and encoding; made once per node, then shared. */
const compressedCache = new ByteCache(64 * 1024 * 1024);
/** Small files' bytes, so a hot page is not read from disk on every visit. */
const plainCache = new ByteCache(64 * 1024 * 1024);
export const MAX_HELD_FILE = 1024 * 1024;

/** The encodings the client takes, best first: brotli, then gzip (`q=0` refuses one). */
export function acceptedEncodings(header: string | string[] | undefined): Encoding[] {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (value === '') return [];
  const accepted = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    accepted.set(name.trim(), q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const wildcard = accepted.get('*') ?? 0;
  const takes = (name: string) => (accepted.get(name) ?? wildcard) > 0;
  return (['br', 'gzip'] as const).filter(takes);
}

/** The encoding to answer with, and whether the build's own copy holds it. */
export function chooseEncoding(file: OutputFile, accepted: Encoding[]): { encoding: Encoding; precompressed: boolean } | undefined {
  for (const encoding of accepted) if (file.precompressed[encoding] !== undefined) return { encoding, precompressed: true };
  if (!file.compressible || file.size < MIN_COMPRESS_BYTES || file.size > MAX_COMPRESS_BYTES) return undefined;
  const encoding = accepted[0];
  return encoding === undefined ? undefined : { encoding, precompressed: false };
}

/** The bytes of a file's encoded form: the build's copy, or compressed here once and kept. */
export function encodedBytes(file: OutputFile, encoding: Encoding, precompressed: boolean): Promise<Buffer> {
  const sibling = `${file.path}.${encoding === 'br' ? 'br' : 'gz'}`;
  if (precompressed) return plainCache.get(`${sibling}\0${file.etag}`, () => readFile(sibling));
  return compressedCache.get(`${file.path}\0${file.etag}\0${encoding}`, async () => {
    const plain = await plainBytes(file);
    // A middling brotli level: most of the gain of the highest at a small part of its time.
    return encoding === 'br' ? brotli(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length } }) : gzipped(plain, { level: 6 });
  });
}

/** A small file's bytes, held after the first read. */
export function plainBytes(file: OutputFile): Promise<Buffer> {
  if (file.size > MAX_HELD_FILE) return readFile(file.path);
  return plainCache.get(`${file.path}\0${file.etag}`, () => readFile(file.path));
}
