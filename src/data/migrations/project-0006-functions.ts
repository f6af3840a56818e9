import type { Migration } from './migration.js';

/** Functions, their deployments, variables and executions. */
export const functionsMigration: Migration = {
  name: '0006-functions',
  async up(db) {
    await db.schema
      .createTable('functions')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('runtime', 'varchar(64)', (c) => c.notNull())
      // JSON arrays: roles that may execute, trigger events, API scopes of the injected key.
      .addColumn('execute', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('schedule', 'varchar(128)', (c) => c.notNull())
      .addColumn('timeout', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('logging', 'integer', (c) => c.notNull())
      .addColumn('entrypoint', 'varchar(256)', (c) => c.notNull())
      .addColumn('commands', 'text', (c) => c.notNull())
      .addColumn('specification', 'varchar(64)', (c) => c.notNull())
      .addColumn('deployment_retention', 'integer', (c) => c.notNull())
      // The active deployment; empty when none is.
      .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('deployment_created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('functions_created').on('functions').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('deployments')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('function_id', 'varchar(36)', (c) => c.notNull().references('functions.id').onDelete('cascade'))
      .addColumn('entrypoint', 'varchar(256)', (c) => c.notNull())
      .addColumn('commands', 'text', (c) => c.notNull())
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
    await db.schema.createIndex('deployments_function').on('deployments').columns(['function_id', 'created_at']).execute();

    await db.schema
      .createTable('function_variables')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('function_id', 'varchar(36)', (c) => c.notNull().references('functions.id').onDelete('cascade'))
      .addColumn('key', 'varchar(255)', (c) => c.notNull())
      // Encrypted with the server secret.
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('secret', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('function_variables_key', ['function_id', 'key'])
      .execute();

    await db.schema
      .createTable('executions')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('function_id', 'varchar(36)', (c) => c.notNull().references('functions.id').onDelete('cascade'))
      .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull())
      // The user who ran it, empty for servers and guests; they may read it back.
      .addColumn('user_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('permissions', 'text', (c) => c.notNull())
      .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('request_method', 'varchar(16)', (c) => c.notNull())
      .addColumn('request_path', 'text', (c) => c.notNull())
      .addColumn('request_headers', 'text', (c) => c.notNull())
      .addColumn('response_status_code', 'integer', (c) => c.notNull())
      .addColumn('response_body', 'text', (c) => c.notNull())
      .addColumn('response_headers', 'text', (c) => c.notNull())
      .addColumn('logs', 'text', (c) => c.notNull())
      .addColumn('errors', 'text', (c) => c.notNull())
      .addColumn('duration', 'double precision', (c) => c.notNull())
      .addColumn('scheduled_at', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('executions_function').on('executions').columns(['function_id', 'created_at']).execute();
  },
};
