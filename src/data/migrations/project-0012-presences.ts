import type { Migration } from './migration.js';

/** Presences: who is online, one row per user, with a permission table as files have. */
export const presencesMigration: Migration = {
  name: '0012-presences',
  async up(db, dialect) {
    await db.schema
      .createTable('presences')
      .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
      .addColumn('id', 'varchar(36)', (c) => c.notNull().unique())
      // One presence per user: a second upsert of the same user updates the first.
      .addColumn('user_id', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('status', 'varchar(255)')
      // `rest`, `graphql` or `realtime`.
      .addColumn('source', 'varchar(16)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)')
      // JSON object of the app's own fields, returned beside the model's.
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('permissions', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('presences_expires').on('presences').columns(['expires_at']).execute();

    await db.schema
      .createTable('presence_permissions')
      .addColumn('presence_seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'varchar(8)', (c) => c.notNull())
      .addColumn('role', 'varchar(255)', (c) => c.notNull())
      .addUniqueConstraint('presence_permissions_unique', ['presence_seq', 'type', 'role'])
      .execute();
    await db.schema.createIndex('presence_permissions_role').on('presence_permissions').columns(['role', 'type']).execute();
  },
};
