import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uniqueId } from '../../core/ids.js';

/**
 * Where mail and text messages go when no server is configured: one JSON file per message,
 * `<dataDir>/<kind>/<projectId>/<timestamp>-<id>.json`, so names sort oldest first. Shared by
 * the mail and SMS capture so that `plinth mail list` and `plinth sms list` read one format.
 */
export type CaptureKind = 'mail' | 'sms';

export interface CapturedRecord {
  id: string;
  createdAt: string;
}

function folderOf(dataDir: string, kind: CaptureKind, projectId: string): string {
  // Project ids are validated by the API; this keeps a bad one from escaping the folder.
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(projectId)) throw new Error(`not a project id: "${projectId}"`);
  return join(dataDir, kind, projectId);
}

/** Writes the record and returns its path; a reader never sees a half-written file. */
export async function writeCaptured<T extends object>(
  dataDir: string,
  kind: CaptureKind,
  projectId: string,
  fields: T,
): Promise<{ path: string; record: T & CapturedRecord }> {
  const now = new Date();
  const record = { ...fields, createdAt: now.toISOString(), id: uniqueId() };
  const folder = folderOf(dataDir, kind, projectId);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, `${now.getTime()}-${record.id}.json`);
  await writeFile(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  return { path, record };
}

/** Every captured record of a project, oldest first; none when nothing was captured. */
export async function readCaptured<T>(dataDir: string, kind: CaptureKind, projectId: string): Promise<T[]> {
  const folder = folderOf(dataDir, kind, projectId);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter((name) => name.endsWith('.json')).sort();
  return Promise.all(files.map(async (name) => JSON.parse(await readFile(join(folder, name), 'utf8')) as T));
}
