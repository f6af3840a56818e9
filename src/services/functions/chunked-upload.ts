import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { findDeployment, insertDeployment, updateDeploymentRow, type DeploymentRow } from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import { joinChunks, storeChunk } from './chunk-objects.js';
import { commitWithEvents } from '../event-outbox.js';
import { deploymentCreatedEvent, enqueueBuild, newDeploymentRow } from './deployments.js';
import { requireFunction } from './functions.js';
import { toDeploymentModel, type DeploymentModel } from './models.js';
import { deploymentObjects } from './storage-paths.js';

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
 * chunk is kept as its own object in the file store named by its offsets, as chunks arrive in any
 * order and at any node; the chunk that completes the archive assembles it and queues the build.
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

  const objects = deploymentObjects(projectId, functionId, row.id);
  const { received, bytes, chunksTotal } = await storeChunk(deps, objects.chunks, range, input.uploadedFile);
  if (bytes < range.total) return { ...toDeploymentModel(row), chunksTotal, chunksUploaded: received.length };

  // Only one request may assemble, on whichever node it arrived: leaving `waiting` is the claim.
  const claimed = await updateDeploymentRow(db, functionId, row.id, { status: 'processing', updated_at: nowDateTime() }, ['waiting']);
  if (!claimed) return { ...toDeploymentModel(row), chunksTotal, chunksUploaded: chunksTotal };
  let size: number;
  try {
    size = await joinChunks(deps, objects.chunks, received, objects.source);
  } catch (error) {
    await updateDeploymentRow(db, functionId, row.id, { status: 'failed', build_logs: 'The uploaded chunks could not be joined.', updated_at: nowDateTime() });
    throw error;
  }
  const updated = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = (await updateDeploymentRow(trx, functionId, row.id, { source_size: size, updated_at: nowDateTime() })) ?? claimed;
    emit(deploymentCreatedEvent(projectId, updated));
    return updated;
  });
  await enqueueBuild(deps, projectId, updated);
  return { ...toDeploymentModel(updated), chunksTotal, chunksUploaded: chunksTotal };
}
