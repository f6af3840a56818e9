import type { Migration } from './migration.js';

/**
 * Who changed a resource, and when: the audit trail behind the messaging `…/logs` routes
 * (`provider/ID`, `topic/ID`, `subscriber/ID`, `message/ID`).
 */
export const resourceLogsMigration: Migration = {
  name: '0015-resource-logs',
  async up(db, dialect) {
    await db.schema
      .createTable('resource_logs')
      .addColumn('id', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
      .addColumn('resource', 'varchar(128)', (c) => c.notNull())
      .addColumn('event', 'varchar(128)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('user_email', 'varchar(320)', (c) => c.notNull())
      .addColumn('user_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('user_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('mode', 'varchar(16)', (c) => c.notNull())
      .addColumn('ip', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_agent', 'text', (c) => c.notNull())
      .addColumn('time', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('resource_logs_resource').on('resource_logs').columns(['resource', 'id']).execute();
  },
};
