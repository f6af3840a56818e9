import type { Migration } from './migration.js';

/** One row per request a server-rendered site answered: the `sites` logs routes. */
export const siteLogsMigration: Migration = {
  name: '0016-site-logs',
  async up(db) {
    await db.schema
      .createTable('site_logs')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('site_id', 'varchar(36)', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull())
      // Always `http`: kept so the list filters as the execution model's does.
      .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
      // completed | failed
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('request_method', 'varchar(16)', (c) => c.notNull())
      .addColumn('request_path', 'text', (c) => c.notNull())
      // JSON [{ name, value }]; empty lists when the site's logging is off.
      .addColumn('request_headers', 'text', (c) => c.notNull())
      .addColumn('response_status_code', 'integer', (c) => c.notNull())
      .addColumn('response_headers', 'text', (c) => c.notNull())
      .addColumn('logs', 'text', (c) => c.notNull())
      .addColumn('errors', 'text', (c) => c.notNull())
      .addColumn('duration', 'double precision', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('site_logs_site').on('site_logs').columns(['site_id', 'created_at']).execute();
  },
};
