import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { BucketRow } from '../../data/storage/buckets.js';
import type { FileRow } from '../../data/storage/files.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { grantsOf } from '../../core/permissions.js';

export type StorageAction = 'create' | 'update' | 'delete';

/** The event `buckets.B.<action>` (with wildcards), emitted inside the change's transaction. */
export function bucketEvent(projectId: string, bucket: BucketRow, action: StorageAction, payload: unknown): PlinthEvent {
  return storageEvent(projectId, [['buckets', bucket.id]], action, payload, readRoles(bucket.permissions));
}

/** The event `buckets.B.files.F.<action>`; readers are those of the bucket, and of the file with file security on. */
export function fileEvent(projectId: string, bucket: BucketRow, file: FileRow, action: StorageAction, payload: unknown): PlinthEvent {
  const readers = new Set(readRoles(bucket.permissions));
  if (bucket.file_security === 1) for (const role of readRoles(file.permissions)) readers.add(role);
  return storageEvent(projectId, [['buckets', bucket.id], ['files', file.id]], action, payload, [...readers]);
}

function readRoles(permissions: string): string[] {
  return grantsOf(JSON.parse(permissions) as string[])
    .filter((grant) => grant.type === 'read')
    .map((grant) => grant.role);
}

function storageEvent(projectId: string, levels: EventLevel[], action: StorageAction, payload: unknown, readableBy: string[]): PlinthEvent {
  return { projectId, names: eventNames(levels, action), payload, readableBy, timestamp: nowDateTime() };
}
