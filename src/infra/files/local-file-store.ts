import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileNotStoredError, type ByteRange, type FileStore } from './file-store.js';

/**
 * Files in a folder on local disk. A write streams into a temporary file beside its target
 * and renames it into place, so a reader sees the old bytes or the new, never half of them.
 */
export function createLocalFileStore(root: string): FileStore {
  const base = resolve(root);

  function locate(path: string): string {
    const full = resolve(base, path);
    // Paths come from ids the API checked; this keeps a bad one from leaving the folder.
    if (full !== base && !full.startsWith(base + sep)) throw new Error(`path outside the file store: ${path}`);
    return full;
  }

  return {
    async write(path, body) {
      const target = locate(path);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      const out = createWriteStream(temporary);
      try {
        await pipeline(body, out);
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return out.bytesWritten;
    },

    async read(path, range?: ByteRange): Promise<Readable> {
      const target = locate(path);
      try {
        const info = await stat(target);
        if (!info.isFile()) throw new FileNotStoredError(path);
      } catch (error) {
        if (error instanceof FileNotStoredError || (error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotStoredError(path);
        throw error;
      }
      return createReadStream(target, range ? { start: range.start, end: range.end } : {});
    },

    async size(path) {
      try {
        const info = await stat(locate(path));
        return info.isFile() ? info.size : undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async delete(path) {
      try {
        await unlink(locate(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },

    async deletePrefix(prefix) {
      // A prefix names a folder (`p/b/`) or the start of names in one (`p/b/f.chunks/`).
      const folder = locate(prefix.endsWith('/') ? prefix : dirname(prefix));
      if (prefix.endsWith('/')) {
        await rm(folder, { recursive: true, force: true });
        return;
      }
      for (const path of await this.list(prefix)) await this.delete(path);
    },

    async list(prefix) {
      const start = locate(prefix.endsWith('/') || prefix === '' ? prefix : dirname(prefix));
      const found: string[] = [];
      await walk(start, found);
      return found.map((full) => relative(base, full).split(sep).join('/')).filter((path) => path.startsWith(prefix) && !path.endsWith('.tmp'));
    },
  };
}

async function walk(folder: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
    throw error;
  }
  for (const entry of entries) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) await walk(full, found);
    else if (entry.isFile()) found.push(full);
  }
}
