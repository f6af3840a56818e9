import { realpath, stat } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import { contentTypeOf, isCompressibleType } from './content-types.js';

/** A file of a built output, as a response needs it. */
export interface OutputFile {
  path: string;
  size: number;
  etag: string;
  type: string;
  compressible: boolean;
  /** Sizes of the build's own `.br` and `.gz` copies, when it made them. */
  precompressed: { br?: number; gzip?: number };
}

export type OutputEntry = { kind: 'file'; file: OutputFile } | { kind: 'directory' } | { kind: 'missing' };

/** A request path the output cannot answer as asked (undecodable, or holding a NUL). */
export class BadPathError extends Error {
  readonly status = 400;
}

/** Lookups remembered: a deployment's output never changes once unpacked, so neither do they. */
const MAX_ENTRIES = 20_000;
const known = new Map<string, Promise<OutputEntry>>();

/** Whether the path, its links followed, stays inside the root: a build's link to the host's files is not the site's. */
async function staysInside(root: string, path: string): Promise<boolean> {
  const [realRoot, realPath] = await Promise.all([realpath(root), realpath(path)]);
  return realPath === realRoot || realPath.startsWith(`${realRoot}${sep}`);
}

async function sizeOf(root: string, path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() && (await staysInside(root, path)) ? info.size : undefined;
  } catch {
    return undefined;
  }
}

async function look(root: string, relative: string): Promise<OutputEntry> {
  const path = join(root, relative);
  let info;
  try {
    info = await stat(path);
    if (!(await staysInside(root, path))) return { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
  if (info.isDirectory()) return { kind: 'directory' };
  if (!info.isFile()) return { kind: 'missing' };
  const type = contentTypeOf(path);
  const [br, gzip] = await Promise.all([sizeOf(root, `${path}.br`), sizeOf(root, `${path}.gz`)]);
  return {
    kind: 'file',
    file: {
      path,
      size: info.size,
      etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
      type,
      compressible: isCompressibleType(type),
      precompressed: { ...(br !== undefined ? { br } : {}), ...(gzip !== undefined ? { gzip } : {}) },
    },
  };
}

/**
 * The output's entry for a URL path: `index.html` for a path ending in `/`, nothing for a path
 * through a dot file or folder. The path is confined to the root however it is spelled.
 */
export function findOutputFile(root: string, urlPath: string): Promise<OutputEntry> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new BadPathError('The path is not valid.');
  }
  if (decoded.includes('\0')) throw new BadPathError('The path is not valid.');
  const normalized = posix.normalize(`/${decoded}`);
  if (normalized.split('/').some((segment) => segment.startsWith('.'))) return Promise.resolve({ kind: 'missing' });
  const relative = normalized.endsWith('/') ? `${normalized}index.html` : normalized;
  const key = `${root}\0${relative}`;
  let entry = known.get(key);
  if (!entry) {
    if (known.size >= MAX_ENTRIES) known.delete(known.keys().next().value as string);
    entry = look(root, relative);
    known.set(key, entry);
  }
  return entry;
}

/** Roots known to be unpacked on this node, so a visit needs no check of the disk for it. */
const unpackedRoots = new Set<string>();

/** The root, unpacked by `unpack` the first time this node needs it. */
export async function unpackedOutput(root: string, unpack: () => Promise<string>): Promise<string> {
  if (unpackedRoots.has(root)) return root;
  const ready = await unpack();
  if (unpackedRoots.size >= MAX_ENTRIES) unpackedRoots.clear();
  unpackedRoots.add(ready);
  return ready;
}

/** Whether the output holds the file (a 404 page, a fallback), relative to its root. */
export async function hasOutputFile(root: string, file: string): Promise<boolean> {
  return file !== '' && (await findOutputFile(root, `/${file}`)).kind === 'file';
}

/** Forgets what was found under a root (its deployment was deleted). */
export function forgetOutput(root: string): void {
  unpackedRoots.delete(root);
  for (const key of known.keys()) if (key.startsWith(`${root}\0`)) known.delete(key);
}
