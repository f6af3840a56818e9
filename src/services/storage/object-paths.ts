import { createHash } from 'node:crypto';

/** Where a project's bucket keeps its objects in the file store. */
export function bucketPrefix(projectId: string, bucketId: string): string {
  return `${projectId}/${bucketId}/`;
}

/** The finished file, as stored (compressed and sealed when the bucket says so). */
export function fileObjectPath(projectId: string, bucketId: string, fileId: string): string {
  return `${projectId}/${bucketId}/${fileId}`;
}

/** The chunks of an upload in progress, one object each; ids never start with a dot, so no file is named `.chunks`. */
export function chunkPrefix(projectId: string, bucketId: string, fileId: string): string {
  return `${projectId}/${bucketId}/.chunks/${fileId}/`;
}

/**
 * One uploader's chunks of an upload, under a digest of who they are: two callers sending
 * chunks for the same new id never write the same objects, whoever's row comes first.
 * Uploads begun before uploaders were kept ('') have their chunks straight under the id.
 */
export function uploaderPrefix(projectId: string, bucketId: string, fileId: string, uploader: string): string {
  const prefix = chunkPrefix(projectId, bucketId, fileId);
  return uploader === '' ? prefix : `${prefix}${createHash('sha256').update(uploader).digest('hex').slice(0, 16)}/`;
}

export function chunkObjectPath(projectId: string, bucketId: string, fileId: string, uploader: string, index: number): string {
  return `${uploaderPrefix(projectId, bucketId, fileId, uploader)}${index}`;
}

/** Rendered previews of a file, one object per set of options. */
export function previewPrefix(projectId: string, bucketId: string, fileId: string): string {
  return `${projectId}/${bucketId}/.previews/${fileId}/`;
}
