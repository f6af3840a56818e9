import type { Generated } from 'kysely';

/** Tables of a project's store that hold its buckets and files (project migration 0003). */
export interface StorageTables {
  buckets: BucketRow;
  files: FileTable;
  /** One row per role a file grants an action to. */
  file_permissions: { file_seq: number; type: string; role: string };
  /** The chunks of an upload in progress received so far. */
  file_chunks: { file_seq: number; chunk_index: number };
  file_tokens: FileTokenRow;
}

/** A bucket as the buckets table holds it; booleans are 0/1 and lists JSON text. */
export interface BucketRow {
  id: string;
  name: string;
  permissions: string;
  file_security: number;
  enabled: number;
  maximum_file_size: number;
  allowed_file_extensions: string;
  compression: string;
  encryption: number;
  antivirus: number;
  transformations: number;
  search: string;
  created_at: string;
  updated_at: string;
}

export type FileStatus = 'uploading' | 'assembling' | 'ready';

/** A file as the files table holds it. */
export interface FileRow {
  seq: number;
  id: string;
  bucket_id: string;
  name: string;
  permissions: string;
  signature: string;
  mime_type: string;
  size_original: number;
  size_actual: number;
  chunks_total: number;
  chunks_uploaded: number;
  compression: string;
  encryption: number;
  status: FileStatus;
  /** Who began the upload (`user:ID`, `key`, `guest`); '' for uploads begun before it was kept. */
  uploaded_by: string;
  assembly_started_at: string | null;
  search: string;
  created_at: string;
  updated_at: string;
}

/** The files table: its sequence is numbered by the database. */
export interface FileTable extends Omit<FileRow, 'seq'> {
  seq: Generated<number>;
}

/** A token giving access to one file, as the file_tokens table holds it. */
export interface FileTokenRow {
  id: string;
  bucket_id: string;
  file_id: string;
  expire: string | null;
  accessed_at: string | null;
  created_at: string;
  updated_at: string;
}
