import type { BucketRow } from '../../data/storage/buckets.js';
import type { FileRow } from '../../data/storage/files.js';

export type Model = Record<string, unknown>;

export function toBucketModel(bucket: BucketRow, totalSize: number): Model {
  return {
    $id: bucket.id,
    $createdAt: bucket.created_at,
    $updatedAt: bucket.updated_at,
    $permissions: JSON.parse(bucket.permissions) as string[],
    fileSecurity: bucket.file_security === 1,
    name: bucket.name,
    enabled: bucket.enabled === 1,
    maximumFileSize: bucket.maximum_file_size,
    allowedFileExtensions: JSON.parse(bucket.allowed_file_extensions) as string[],
    compression: bucket.compression,
    encryption: bucket.encryption === 1,
    antivirus: bucket.antivirus === 1,
    transformations: bucket.transformations === 1,
    totalSize,
  };
}

export function toFileModel(file: FileRow): Model {
  return {
    $id: file.id,
    bucketId: file.bucket_id,
    $createdAt: file.created_at,
    $updatedAt: file.updated_at,
    $permissions: JSON.parse(file.permissions) as string[],
    name: file.name,
    signature: file.signature,
    mimeType: file.mime_type,
    sizeOriginal: file.size_original,
    chunksTotal: file.chunks_total,
    chunksUploaded: file.chunks_uploaded,
    encryption: file.encryption === 1,
    compression: file.compression,
  };
}
