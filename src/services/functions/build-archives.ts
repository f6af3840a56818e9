import { mkdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { onFirstUse } from '../../core/load-package.js';
import { FileNotStoredError } from '../../infra/files/file-store.js';
import type { ServiceDeps } from '../deps.js';

const loadTar = onFirstUse<typeof import('tar')>('tar');

/** Extracts the stored upload into `workDir`; the message to fail the build with, or undefined. */
export async function unpackSource(deps: ServiceDeps, sourceObject: string, workDir: string): Promise<string | undefined> {
  await mkdir(workDir, { recursive: true });
  try {
    await pipeline(await deps.files.read(sourceObject), loadTar().x({ cwd: workDir, strict: true }));
    return undefined;
  } catch (error) {
    if (error instanceof FileNotStoredError) return 'The code archive is missing.';
    return `The code is not a valid .tar.gz archive: ${(error as Error).message}`;
  }
}

/** Packs `dir` as a .tar.gz into the file store, for other nodes and downloads; its size in bytes. */
export async function storePacked(deps: ServiceDeps, object: string, dir: string): Promise<number> {
  return deps.files.write(object, Readable.from(loadTar().c({ gzip: true, cwd: dir, portable: true }, ['.'])));
}
