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

export function chunkObjectPath(projectId: string, bucketId: string, fileId: string, index: number): string {
  return `${chunkPrefix(projectId, bucketId, fileId)}${index}`;
}

/** Rendered previews of a file, one object per set of options. */
export function previewPrefix(projectId: string, bucketId: string, fileId: string): string {
  return `${projectId}/${bucketId}/.previews/${fileId}/`;
}
