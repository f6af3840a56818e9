import type { Migration } from './migration.js';

/**
 * Storage: buckets, their files with a permission table keyed by (file, type, role) as
 * documents have, the chunks of uploads still in progress, and file tokens.
 */
export const storageMigration: Migration = {
  name: '0003-storage',
  async up(db, dialect) {
    await db.schema
      .createTable('buckets')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      // JSON array of permission strings, e.g. ["read(\"any\")"].
      .addColumn('permissions', 'text', (c) => c.notNull())
      .addColumn('file_security', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('maximum_file_size', 'bigint', (c) => c.notNull())
      // JSON array of lower-cased extensions; empty means any.
      .addColumn('allowed_file_extensions', 'text', (c) => c.notNull())
      // none | gzip | zstd
      .addColumn('compression', 'varchar(8)', (c) => c.notNull())
      .addColumn('encryption', 'integer', (c) => c.notNull())
      .addColumn('antivirus', 'integer', (c) => c.notNull())
      .addColumn('transformations', 'integer', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('buckets_created').on('buckets').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('files')
      .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
      .addColumn('id', 'varchar(36)', (c) => c.notNull())
      .addColumn('bucket_id', 'varchar(36)', (c) => c.notNull())
      // As the client named it: any length.
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('permissions', 'text', (c) => c.notNull())
      // MD5 of the original bytes, hex; empty until the upload completes.
      .addColumn('signature', 'varchar(64)', (c) => c.notNull())
      .addColumn('mime_type', 'text', (c) => c.notNull())
      .addColumn('size_original', 'bigint', (c) => c.notNull())
      // Bytes as stored (after compression and encryption).
      .addColumn('size_actual', 'bigint', (c) => c.notNull())
      .addColumn('chunks_total', 'integer', (c) => c.notNull())
      .addColumn('chunks_uploaded', 'integer', (c) => c.notNull())
      // How the stored object was written: none | gzip | zstd, and whether it is sealed.
      .addColumn('compression', 'varchar(8)', (c) => c.notNull())
      .addColumn('encryption', 'integer', (c) => c.notNull())
      // uploading | assembling | ready
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      // When assembly began: one that never finished (a crash) may be taken over later.
      .addColumn('assembly_started_at', 'varchar(32)')
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('files_bucket_id', ['bucket_id', 'id'])
      .execute();
    await db.schema.createIndex('files_bucket_created').on('files').columns(['bucket_id', 'created_at']).execute();

    await db.schema
      .createTable('file_permissions')
      .addColumn('file_seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'varchar(8)', (c) => c.notNull())
      .addColumn('role', 'varchar(255)', (c) => c.notNull())
      .addUniqueConstraint('file_permissions_unique', ['file_seq', 'type', 'role'])
      .execute();
    await db.schema.createIndex('file_permissions_role').on('file_permissions').columns(['role', 'type']).execute();

    // Which chunks of an upload in progress are stored; a retried chunk is one row.
    await db.schema
      .createTable('file_chunks')
      .addColumn('file_seq', 'integer', (c) => c.notNull())
      .addColumn('chunk_index', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('file_chunks_pk', ['file_seq', 'chunk_index'])
      .execute();

    await db.schema
      .createTable('file_tokens')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('bucket_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('file_id', 'varchar(36)', (c) => c.notNull())
      // Null: never expires.
      .addColumn('expire', 'varchar(32)')
      .addColumn('accessed_at', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('file_tokens_file').on('file_tokens').columns(['bucket_id', 'file_id', 'created_at']).execute();
  },
};
