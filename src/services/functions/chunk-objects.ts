import { Readable } from 'node:stream';
import type { ServiceDeps } from '../deps.js';
import { storeLocalFile } from './deployments.js';

/** What has arrived of a chunked archive: each chunk's offsets, in order. */
export interface ChunkProgress {
  received: Array<[number, number]>;
  /** Bytes received so far. */
  bytes: number;
  chunksTotal: number;
}

/**
 * Keeps one chunk as its own object under `prefix`, named by its offsets (chunks arrive in any
 * order and at any node), and says what has arrived so far.
 */
export async function storeChunk(deps: ServiceDeps, prefix: string, range: { start: number; end: number; total: number }, localFile: string): Promise<ChunkProgress> {
  await storeLocalFile(deps, `${prefix}${range.start}-${range.end}`, localFile);
  const received = (await deps.files.list(prefix)).map((path) => path.slice(prefix.length).split('-').map(Number) as [number, number]).sort((a, b) => a[0] - b[0]);
  const bytes = received.reduce((sum, [start, end]) => sum + (end - start + 1), 0);
  const firstSize = received[0] && received[0][0] === 0 ? received[0][1] + 1 : range.end - range.start + 1;
  return { received, bytes, chunksTotal: Math.ceil(range.total / firstSize) };
}

/** Writes the chunks' bytes in order as one object at `target`, then removes the chunks; the object's size. */
export async function joinChunks(deps: ServiceDeps, prefix: string, received: ChunkProgress['received'], target: string): Promise<number> {
  const size = await deps.files.write(target, Readable.from(concatenate(deps, received.map(([start, end]) => `${prefix}${start}-${end}`))));
  await deps.files.deletePrefix(prefix);
  return size;
}

async function* concatenate(deps: ServiceDeps, keys: string[]): AsyncGenerator<Buffer> {
  for (const key of keys) for await (const chunk of await deps.files.read(key)) yield chunk as Buffer;
}
