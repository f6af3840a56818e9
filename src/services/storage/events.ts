import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { BucketRow } from '../../data/storage/buckets.js';
import type { FileRow } from '../../data/storage/files.js';
import type { ServiceDeps } from '../deps.js';
import { publishEvent } from '../event-outbox.js';
import { grantsOf } from '../../core/permissions.js';

export type StorageAction = 'create' | 'update' | 'delete';

/** Publishes `buckets.B.<action>` (with wildcards) after the change committed. */
export async function publishBucketEvent(deps: ServiceDeps, projectId: string, bucket: BucketRow, action: StorageAction, payload: unknown): Promise<void> {
  await publish(deps, projectId, [['buckets', bucket.id]], action, payload, readRoles(bucket.permissions));
}

/** Publishes `buckets.B.files.F.<action>`; readers are those of the bucket, and of the file with file security on. */
export async function publishFileEvent(
  deps: ServiceDeps,
  projectId: string,
  bucket: BucketRow,
  file: FileRow,
  action: StorageAction,
  payload: unknown,
): Promise<void> {
  const readers = new Set(readRoles(bucket.permissions));
  if (bucket.file_security === 1) for (const role of readRoles(file.permissions)) readers.add(role);
  await publish(deps, projectId, [['buckets', bucket.id], ['files', file.id]], action, payload, [...readers]);
}

function readRoles(permissions: string): string[] {
  return grantsOf(JSON.parse(permissions) as string[])
    .filter((grant) => grant.type === 'read')
    .map((grant) => grant.role);
}

async function publish(
  deps: ServiceDeps,
  projectId: string,
  levels: EventLevel[],
  action: StorageAction,
  payload: unknown,
  readableBy: string[],
): Promise<void> {
  await publishEvent(deps, { projectId, names: eventNames(levels, action), payload, readableBy, timestamp: nowDateTime() });
}
