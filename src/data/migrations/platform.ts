import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { nowDateTime } from '../../core/datetime.js';
import { functionHostLabels } from '../../core/function-host-labels.js';
import type { FunctionHostNameRow } from '../tables.js';
import type { Migration } from './migration.js';

export const platformMigrations: readonly Migration[] = [
  {
    name: '0001-projects-keys-platforms-jobs',
    async up(db, dialect) {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('keys')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('expire', 'varchar(32)')
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('accessed_at', 'varchar(32)')
        .addColumn('sdks', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('keys_project').on('keys').column('project_id').execute();

      await db.schema
        .createTable('platforms')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('type', 'varchar(32)', (c) => c.notNull())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('identifier', 'varchar(256)')
        .addColumn('hostname', 'varchar(256)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('platforms_project').on('platforms').column('project_id').execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
        .addColumn('project_id', 'varchar(36)')
        .addColumn('queue', 'varchar(64)', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_ready').on('jobs').columns(['queue', 'status', 'run_at']).execute();
    },
  },
  {
    name: '0002-project-settings-variables-mock-phones',
    async up(db) {
      await db.schema.alterTable('projects').addColumn('labels', 'text', (c) => c.notNull().defaultTo('[]')).execute();

      // One row per setting that differs from its default: service and protocol switches,
      // auth methods, policies, SMTP. Values are JSON.
      await db.schema
        .createTable('project_settings')
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('name', 'varchar(64)', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_settings_pk', ['project_id', 'name'])
        .execute();

      await db.schema
        .createTable('variables')
        .addColumn('id', 'varchar(36)', (c) => c.notNull())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('key', 'varchar(255)', (c) => c.notNull())
        // Encrypted with the server secret, whether or not the variable is marked secret.
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('secret', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('variables_pk', ['project_id', 'id'])
        .addUniqueConstraint('variables_key', ['project_id', 'key'])
        .execute();

      await db.schema
        .createTable('mock_phones')
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('number', 'varchar(16)', (c) => c.notNull())
        .addColumn('otp', 'varchar(6)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('mock_phones_pk', ['project_id', 'number'])
        .execute();
    },
  },
  {
    name: '0003-rate-limits',
    async up(db) {
      // Fixed-window counters shared by every node on the store.
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '0004-function-hosts',
    async up(db) {
      // `<functionId>.functions.<domain>` names no project: this finds it, on every node.
      await db.schema
        .createTable('function_hosts')
        .addColumn('function_id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .execute();
    },
  },
  {
    name: '0005-function-host-names-and-placements',
    async up(db) {
      // Host names by label, so two projects' functions with one id each get a name of their own.
      await db.schema
        .createTable('function_host_names')
        .addColumn('host', 'varchar(63)', (c) => c.primaryKey())
        .addColumn('function_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .execute();
      await db.schema.createIndex('function_host_names_function').on('function_host_names').columns(['project_id', 'function_id']).execute();
      await db
        .insertInto('function_host_names')
        .columns(['host', 'function_id', 'project_id'])
        .expression(db.selectFrom('function_hosts').select([sql<string>`lower(function_id)`.as('host'), 'function_id', 'project_id']))
        .execute();
      await db.schema.dropTable('function_hosts').execute();
      // Which worker node holds a deployment warm: queued executions go there first.
      await db.schema
        .createTable('runtime_placements')
        .addColumn('runtime', 'varchar(80)', (c) => c.notNull())
        .addColumn('node_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('runtime_placements_pk', ['runtime', 'node_id'])
        .execute();
      await db.schema.alterTable('jobs').addColumn('preferred_node', 'varchar(64)').execute();
    },
  },
  {
    name: '0006-unambiguous-function-host-names',
    async up(db) {
      // `<functionId>-<projectId>` could name two functions (`a` of project `b-c`, `a-b` of `c`), and a
      // bare id could take another project's long form: every name is given again by today's rules.
      const rows: FunctionHostNameRow[] = await db.selectFrom('function_host_names').select(['host', 'function_id', 'project_id']).execute();
      await db.deleteFrom('function_host_names').execute();
      const functions = new Map(rows.map((row) => [`${row.project_id}/${row.function_id}`, row]));
      const longForms = [...functions.values()].flatMap(({ function_id, project_id }) => {
        const host = functionHostLabels(function_id, project_id).long;
        return host === undefined ? [] : [{ host, function_id, project_id }];
      });
      // A bare name stays with the function that held it; none of them holds `--`, which every long form does.
      const bareNames = rows.filter((row) => row.host === functionHostLabels(row.function_id, row.project_id).bare);
      for (const row of [...longForms, ...bareNames]) {
        await db.insertInto('function_host_names').values(row).onConflict((conflict) => conflict.doNothing()).execute();
      }
    },
  },
  {
    name: '0007-console-project',
    async up(db) {
      // The built-in project whose users are the server's administrators; its store opens on first use.
      const now = nowDateTime();
      await db
        .insertInto('projects')
        .values({ id: 'console', name: 'Console', labels: '[]', created_at: now, updated_at: now })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
  },
  {
    name: '0008-project-organizations',
    async up(db) {
      // The organization (a team of the console project) a project belongs to; null for the console itself.
      await db.schema.alterTable('projects').addColumn('team_id', 'varchar(36)').execute();
      await db.schema.createIndex('projects_team').on('projects').column('team_id').execute();
    },
  },
  {
    name: '0009-proxy-rules',
    async up(db) {
      // A custom domain names no project: the platform store finds its rule for any request, on every node.
      await db.schema
        .createTable('proxy_rules')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('domain', 'varchar(253)', (c) => c.notNull().unique())
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
        .addColumn('redirect_url', 'text', (c) => c.notNull())
        .addColumn('redirect_status_code', 'integer', (c) => c.notNull())
        .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('deployment_resource_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('deployment_resource_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('deployment_vcs_provider_branch', 'varchar(255)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('logs', 'text', (c) => c.notNull())
        .addColumn('search', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('proxy_rules_project').on('proxy_rules').columns(['project_id', 'created_at']).execute();
      await db.schema.createIndex('proxy_rules_resource').on('proxy_rules').columns(['project_id', 'deployment_resource_type', 'deployment_resource_id']).execute();
    },
  },
  {
    name: '0010-dev-keys',
    async up(db) {
      // Keys for local development: they prove nothing about the caller, they lift abuse limits until they expire.
      await db.schema
        .createTable('dev_keys')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('expire', 'varchar(32)', (c) => c.notNull())
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('accessed_at', 'varchar(32)')
        .addColumn('sdks', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dev_keys_project').on('dev_keys').columns(['project_id', 'created_at']).execute();
    },
  },
  {
    name: '0011-event-outbox-projects',
    async up(db) {
      // Projects whose store has had an event outbox written, so recovery reads only theirs.
      await db.schema.createTable('event_outbox_projects').addColumn('project_id', 'varchar(36)', (c) => c.primaryKey()).execute();
    },
  },
  {
    name: '0012-webhooks',
    async up(db) {
      await db.schema
        .createTable('webhooks')
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('id', 'varchar(36)', (c) => c.notNull())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        // JSON array of event patterns.
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        // Verify the receiver's TLS certificate (the API's `tls`, Appwrite's `security`).
        .addColumn('security', 'integer', (c) => c.notNull())
        .addColumn('auth_username', 'varchar(256)', (c) => c.notNull())
        // Encrypted with the server secret, as is the signature key: both are needed in clear to send.
        .addColumn('auth_password', 'text', (c) => c.notNull())
        .addColumn('signature_key', 'text', (c) => c.notNull())
        // The most recent failure, and how many deliveries failed in a row.
        .addColumn('logs', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('search', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('webhooks_pk', ['project_id', 'id'])
        .execute();
      await db.schema.createIndex('webhooks_project_created').on('webhooks').columns(['project_id', 'created_at']).execute();
    },
  },
  {
    name: '0013-site-host-names',
    async up(db) {
      // `<label>.sites.<domain>` names no project: this finds the site, on every node.
      await db.schema
        .createTable('site_host_names')
        .addColumn('host', 'varchar(63)', (c) => c.primaryKey())
        .addColumn('site_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .execute();
      await db.schema.createIndex('site_host_names_site').on('site_host_names').columns(['project_id', 'site_id']).execute();
    },
  },
  {
    name: '0014-schedules',
    async up(db) {
      await db.schema
        .createTable('schedules')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(36)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('resource_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('resource_updated_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('schedule', 'varchar(256)', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schedules_project_created').on('schedules').columns(['project_id', 'created_at']).execute();
    },
  },
  {
    name: '0015-platform-and-variable-lists',
    async up(db) {
      // Platforms and project variables as the API lists them, so their list queries compile
      // to SQL like every other list: each app identifier under its own API name, and the
      // resource a project variable belongs to.
      const identifierOf = (type: string) => sql<string | null>`case when type = ${sql.lit(type)} then identifier end`;
      await db.schema
        .createView('platforms_listed')
        .as(
          db
            .selectFrom('platforms')
            .selectAll()
            .select([
              identifierOf('apple').as('bundle_identifier'),
              identifierOf('android').as('application_id'),
              identifierOf('windows').as('package_identifier_name'),
              identifierOf('linux').as('package_name'),
            ]),
        )
        .execute();
      await db.schema
        .createView('variables_listed')
        .as(
          db
            .selectFrom('variables')
            .selectAll()
            .select([sql<string>`cast('project' as varchar(16))`.as('resource_type'), sql<string>`cast('' as varchar(36))`.as('resource_id')]),
        )
        .execute();
    },
  },
  {
    name: '0016-access-version',
    async up(db, dialect) {
      // What every request reads of its project (the project, its switches, its keys) moves
      // this counter in the writing transaction, so nodes caching it notice any change, by
      // any process. It starts at a random value, as the projects' schema version does.
      await db.schema
        .createTable('access_version')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.insertInto('access_version' as never).values({ id: 1, version: randomInt(2 ** 30) } as never).execute();
      await dialect.countWrites(db, ['projects', 'keys', 'project_settings'], { table: 'access_version', column: 'version' });
    },
  },
];
