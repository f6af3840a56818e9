import type { Migration } from './migration.js';

/** Sites, their deployments and variables. */
export const sitesMigration: Migration = {
  name: '0013-sites',
  async up(db) {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('framework', 'varchar(32)', (c) => c.notNull())
      // static | ssr
      .addColumn('adapter', 'varchar(16)', (c) => c.notNull())
      .addColumn('install_command', 'text', (c) => c.notNull())
      .addColumn('build_command', 'text', (c) => c.notNull())
      .addColumn('start_command', 'text', (c) => c.notNull())
      .addColumn('output_directory', 'varchar(256)', (c) => c.notNull())
      .addColumn('fallback_file', 'varchar(256)', (c) => c.notNull())
      .addColumn('build_runtime', 'varchar(64)', (c) => c.notNull())
      .addColumn('timeout', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('logging', 'integer', (c) => c.notNull())
      .addColumn('specification', 'varchar(64)', (c) => c.notNull())
      .addColumn('deployment_retention', 'integer', (c) => c.notNull())
      // The live deployment; empty when none is.
      .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('deployment_created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sites_created').on('sites').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('site_deployments')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('site_id', 'varchar(36)', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      // The commands and output folder this deployment is built with (the site's when the upload named none).
      .addColumn('install_command', 'text', (c) => c.notNull())
      .addColumn('build_command', 'text', (c) => c.notNull())
      .addColumn('output_directory', 'varchar(256)', (c) => c.notNull())
      .addColumn('activate', 'integer', (c) => c.notNull())
      // waiting | processing | building | ready | failed | canceled
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('source_size', 'bigint', (c) => c.notNull())
      .addColumn('build_size', 'bigint', (c) => c.notNull())
      .addColumn('build_logs', 'text', (c) => c.notNull())
      .addColumn('build_duration', 'integer', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('site_deployments_site').on('site_deployments').columns(['site_id', 'created_at']).execute();

    await db.schema
      .createTable('site_variables')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('site_id', 'varchar(36)', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('key', 'varchar(255)', (c) => c.notNull())
      // Encrypted with the server secret.
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('secret', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('site_variables_key', ['site_id', 'key'])
      .execute();
  },
};
