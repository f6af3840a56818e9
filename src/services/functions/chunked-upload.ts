import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { findDeployment, insertDeployment, updateDeploymentRow, type DeploymentRow } from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import { enqueueBuild, newDeploymentRow } from './deployments.js';
import { requireFunction } from './functions.js';
import { toDeploymentModel, type DeploymentModel } from './models.js';
import { deploymentPaths } from './storage-paths.js';

export interface ContentRange {
  start: number;
  end: number;
  total: number;
}

/** `bytes start-end/total`, as the SDKs send each chunk. */
export function parseContentRange(header: string): ContentRange {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim());
  if (!match) throw new AppError('storage_invalid_content_range');
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start || end >= total) throw new AppError('storage_invalid_content_range');
  return { start, end, total };
}

/**
 * One chunk of a large archive. The first chunk creates the deployment (status `waiting`); each
 * chunk is kept as its own file named by its offset, as chunks arrive in any order; the chunk
 * that completes the archive assembles it and queues the build.
 */
export async function receiveDeploymentChunk(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  input: {
    uploadedFile: string;
    size: number;
    range: ContentRange;
    uploadId: string | undefined;
    activate: boolean;
    entrypoint?: string | undefined;
    commands?: string | undefined;
    maxBytes: number;
  },
): Promise<DeploymentModel & { chunksTotal: number; chunksUploaded: number }> {
  const fn = await requireFunction(deps, projectId, functionId);
  const { range } = input;
  if (range.total > input.maxBytes) throw new AppError('storage_invalid_file_size', `The code archive is larger than ${input.maxBytes} bytes.`);
  if (input.size !== range.end - range.start + 1) throw new AppError('storage_invalid_content_range', 'The chunk size does not match its Content-Range.');
  const db = deps.db.project(projectId);

  let row: DeploymentRow | undefined;
  if (range.start === 0 && !input.uploadId) {
    row = newDeploymentRow(uniqueId(), fn, { ...input, size: range.total });
    await insertDeployment(db, row);
  } else {
    if (!input.uploadId) throw new AppError('storage_invalid_content_range', 'Chunks after the first need the X-Appwrite-ID header of the upload.');
    row = await findDeployment(db, functionId, input.uploadId);
    if (!row) throw new AppError('deployment_not_found');
    if (row.status !== 'waiting' || row.source_size !== range.total) throw new AppError('storage_invalid_content_range', 'This chunk does not belong to an unfinished upload.');
  }

  const paths = deploymentPaths(deps.dataDir, projectId, functionId, row.id);
  const chunksDir = join(paths.root, 'chunks');
  await mkdir(chunksDir, { recursive: true });
  await rename(input.uploadedFile, join(chunksDir, `${range.start}-${range.end}`));

  const chunkSize = range.start === 0 ? input.size : undefined;
  const names = await readdir(chunksDir).catch(() => [] as string[]);
  const received = names.map((name) => name.split('-').map(Number) as [number, number]).sort((a, b) => a[0] - b[0]);
  const bytes = received.reduce((sum, [start, end]) => sum + (end - start + 1), 0);
  const firstSize = received[0] && received[0][0] === 0 ? received[0][1] + 1 : (chunkSize ?? range.end - range.start + 1);
  const chunksTotal = Math.ceil(range.total / firstSize);
  if (bytes < range.total) return { ...toDeploymentModel(row), chunksTotal, chunksUploaded: received.length };

  // Only one request may assemble: taking the chunk folder away is the claim.
  const assembling = join(paths.root, 'assembling');
  try {
    await rename(chunksDir, assembling);
  } catch {
    return { ...toDeploymentModel(row), chunksTotal, chunksUploaded: chunksTotal };
  }
  const out = createWriteStream(paths.source);
  for (const [start, end] of received) {
    await pipeline(createReadStream(join(assembling, `${start}-${end}`)), out, { end: false });
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  await rm(assembling, { recursive: true, force: true });
  const { size } = await stat(paths.source);
  const updated = (await updateDeploymentRow(db, functionId, row.id, { source_size: size, updated_at: nowDateTime() })) ?? row;
  await enqueueBuild(deps, projectId, updated);
  return { ...toDeploymentModel(updated), chunksTotal, chunksUploaded: chunksTotal };
}
