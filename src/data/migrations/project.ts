import type { Migration } from './migration.js';
import { transactionsMigration } from './project-0004-transactions.js';
import { storageMigration } from './project-0003-storage.js';
import { relationshipsMigration } from './project-0005-relationships.js';
import { functionsMigration } from './project-0006-functions.js';
import { schemaVersionMigration } from './project-0007-schema-version.js';
import { uploadOwnerMigration } from './project-0008-upload-owner.js';
import { attributeEncryptBigintMigration } from './project-0009-attribute-encrypt-bigint.js';
import { messagingMigration } from './project-0010-messaging.js';
import { eventOutboxMigration } from './project-0011-event-outbox.js';
import { presencesMigration } from './project-0012-presences.js';
import { sitesMigration } from './project-0013-sites.js';
import { webPushIdentifiersMigration } from './project-0014-web-push-identifiers.js';
import { resourceLogsMigration } from './project-0015-resource-logs.js';
import { siteLogsMigration } from './project-0016-site-logs.js';
import { targetsByUserMigration } from './project-0017-targets-by-user.js';

/** Each project's own store. Later services append their tables here. */
export const projectMigrations: readonly Migration[] = [
  {
    name: '0001-users-sessions-teams',
    async up(db, dialect) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        // Lower-cased for lookups; null when the user has none, so uniqueness ignores them.
        .addColumn('email', 'varchar(320)', (c) => c.unique())
        .addColumn('phone', 'varchar(16)', (c) => c.unique())
        .addColumn('password_hash', 'text')
        // `argon2`, `bcrypt`, `md5`, `sha`, `phpass`, `scrypt`, `scryptMod`; options as JSON.
        .addColumn('hash_algorithm', 'varchar(16)')
        .addColumn('hash_options', 'text')
        .addColumn('password_updated_at', 'varchar(32)')
        // JSON array of earlier password hashes, newest first, for the history policy.
        .addColumn('password_history', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('prefs', 'text', (c) => c.notNull())
        .addColumn('email_verified', 'integer', (c) => c.notNull())
        .addColumn('phone_verified', 'integer', (c) => c.notNull())
        .addColumn('mfa', 'integer', (c) => c.notNull())
        // Encrypted JSON array of unused recovery codes; null until generated.
        .addColumn('mfa_recovery_codes', 'text')
        .addColumn('impersonator', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('accessed_at', 'varchar(32)')
        // id, name, email and phone in one lower-cased column for `search`.
        .addColumn('search', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_created').on('users').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        // SHA-256 of the secret: secrets are 512 random bits, so a fast hash is enough.
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('provider', 'varchar(64)', (c) => c.notNull())
        .addColumn('provider_uid', 'varchar(320)', (c) => c.notNull())
        // Encrypted with the server secret.
        .addColumn('provider_access_token', 'text', (c) => c.notNull())
        .addColumn('provider_access_token_expiry', 'varchar(32)', (c) => c.notNull())
        .addColumn('provider_refresh_token', 'text', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        // JSON array of the factors proven: `password`, `email`, `totp` …
        .addColumn('factors', 'text', (c) => c.notNull())
        .addColumn('mfa_updated_at', 'varchar(32)')
        .addColumn('expire', 'varchar(32)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'created_at']).execute();

      // One-time secrets: magic URLs, OTP codes, recovery and verification links, server tokens.
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('type', 'varchar(32)', (c) => c.notNull())
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('expire', 'varchar(32)', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tokens_user').on('tokens').columns(['user_id', 'type']).execute();

      await db.schema
        .createTable('identities')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('provider', 'varchar(64)', (c) => c.notNull())
        .addColumn('provider_uid', 'varchar(320)', (c) => c.notNull())
        .addColumn('provider_email', 'varchar(320)', (c) => c.notNull())
        .addColumn('provider_access_token', 'text', (c) => c.notNull())
        .addColumn('provider_access_token_expiry', 'varchar(32)', (c) => c.notNull())
        .addColumn('provider_refresh_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('identities_provider_uid', ['provider', 'provider_uid'])
        .execute();
      await db.schema.createIndex('identities_user').on('identities').column('user_id').execute();

      // MFA authenticators (TOTP); the secret is encrypted.
      await db.schema
        .createTable('authenticators')
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('verified', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('authenticators_pk', ['user_id', 'type'])
        .execute();

      await db.schema
        .createTable('challenges')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        // SHA-256 of the code sent by mail or SMS; empty for TOTP, checked against the authenticator.
        .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('expire', 'varchar(32)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('teams')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('prefs', 'text', (c) => c.notNull())
        .addColumn('search', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('teams_created').on('teams').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('memberships')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('team_id', 'varchar(36)', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('confirmed', 'integer', (c) => c.notNull())
        // SHA-256 of the invitation secret while the invitation is open.
        .addColumn('secret_hash', 'varchar(64)')
        .addColumn('invited_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('joined_at', 'varchar(32)')
        .addColumn('search', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('memberships_team_user', ['team_id', 'user_id'])
        .execute();
      await db.schema.createIndex('memberships_user').on('memberships').columns(['user_id', 'confirmed']).execute();

      // Where messages reach a user: an email address, a phone number, a push device.
      await db.schema
        .createTable('targets')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('provider_id', 'varchar(36)')
        .addColumn('provider_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('identifier', 'varchar(320)', (c) => c.notNull())
        .addColumn('expired', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('targets_identifier', ['provider_type', 'identifier'])
        .execute();
      await db.schema.createIndex('targets_user').on('targets').column('user_id').execute();

      // The user's own authentication activity, shown by GET /account/logs.
      await db.schema
        .createTable('auth_logs')
        .addColumn('id', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('event', 'varchar(128)', (c) => c.notNull())
        .addColumn('user_email', 'varchar(320)', (c) => c.notNull())
        .addColumn('user_name', 'varchar(128)', (c) => c.notNull())
        .addColumn('mode', 'varchar(16)', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('time', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('auth_logs_user').on('auth_logs').columns(['user_id', 'id']).execute();
    },
  },
  {
    // The Databases/TablesDB schema. Each collection's documents live in a table of its own,
    // named from the collection's sequence (docs_<seq>), created and changed by data/documents.
    name: '0002-databases',
    async up(db, dialect) {
      await db.schema
        .createTable('databases')
        .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
        .addColumn('id', 'varchar(36)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        // legacy | tablesdb: which API created it; both APIs read and write either.
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('collections')
        .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
        .addColumn('database_seq', 'integer', (c) => c.notNull())
        .addColumn('id', 'varchar(36)', (c) => c.notNull())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('document_security', 'integer', (c) => c.notNull())
        // JSON array of permission strings, e.g. ["read(\"any\")"].
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('collections_id', ['database_seq', 'id'])
        .execute();
      await db.schema
        .createTable('attributes')
        // Also names the attribute's column (col_<seq>), so renaming a key touches no table.
        .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
        .addColumn('collection_seq', 'integer', (c) => c.notNull())
        .addColumn('key', 'varchar(255)', (c) => c.notNull())
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        // email | enum | url | ip | datetime, or '' for plain types.
        .addColumn('format', 'varchar(16)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('required', 'integer', (c) => c.notNull())
        .addColumn('array', 'integer', (c) => c.notNull())
        .addColumn('size', 'integer')
        .addColumn('min', 'double precision')
        .addColumn('max', 'double precision')
        // JSON of the default value (null when none) and of the enum elements.
        .addColumn('default_value', 'text')
        .addColumn('elements', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('attributes_key', ['collection_seq', 'key'])
        .execute();
      await db.schema
        .createTable('indexes')
        .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
        .addColumn('collection_seq', 'integer', (c) => c.notNull())
        .addColumn('key', 'varchar(255)', (c) => c.notNull())
        .addColumn('type', 'varchar(16)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        // JSON arrays: attribute keys, orders (ASC/DESC/null) and lengths (number/null).
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('orders', 'text', (c) => c.notNull())
        .addColumn('lengths', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('indexes_key', ['collection_seq', 'key'])
        .execute();
    },
  },
  storageMigration,
  transactionsMigration,
  relationshipsMigration,
  functionsMigration,
  schemaVersionMigration,
  uploadOwnerMigration,
  attributeEncryptBigintMigration,
  messagingMigration,
  eventOutboxMigration,
  presencesMigration,
  sitesMigration,
  webPushIdentifiersMigration,
  resourceLogsMigration,
  siteLogsMigration,
  targetsByUserMigration,
];
