import type { Readable } from 'node:stream';

/** Inclusive byte offsets, as HTTP Range headers count them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file bytes live: a folder on local disk or an S3-compatible bucket. Paths are
 * relative and use `/`; callers never see where the bytes really are, so every node of a
 * cluster reads what any other wrote.
 */
export interface FileStore {
  /** Streams the body to `path`, replacing what was there; resolves with the byte count once stored. */
  write(path: string, body: Readable): Promise<number>;
  /** Streams the bytes at `path`, or only `range`; rejects with `FileNotStoredError` when nothing is there. */
  read(path: string, range?: ByteRange): Promise<Readable>;
  /** The size in bytes, or undefined when nothing is stored at `path`. */
  size(path: string): Promise<number | undefined>;
  /** Removes `path`; removing what is not there is not an error. */
  delete(path: string): Promise<void>;
  /** Removes everything under `prefix` (a bucket's files, an upload's chunks). */
  deletePrefix(prefix: string): Promise<void>;
  /** Every path under `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>;
}

export class FileNotStoredError extends Error {
  constructor(readonly path: string) {
    super(`nothing is stored at ${path}`);
    this.name = 'FileNotStoredError';
  }
}
