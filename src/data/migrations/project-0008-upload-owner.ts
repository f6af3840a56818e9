import type { Migration } from './migration.js';

/**
 * Who began each upload (`user:ID`, `key` or `guest`), so that only they add its further
 * chunks. Uploads begun before it have none recorded: only API keys may go on with them.
 */
export const uploadOwnerMigration: Migration = {
  name: '0008-upload-owner',
  async up(db) {
    await db.schema.alterTable('files').addColumn('uploaded_by', 'varchar(64)', (c) => c.notNull().defaultTo('')).execute();
  },
};
