import type { Migration } from './migration.js';

/** Messaging: providers, topics and their subscribers, messages and each recipient's delivery. */
export const messagingMigration: Migration = {
  name: '0010-messaging',
  async up(db) {
    await db.schema
      .createTable('messaging_providers')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      // smtp, mailgun, sendgrid, resend, ses, twilio, vonage, msg91, telesign, textmagic, fcm, apns.
      .addColumn('provider', 'varchar(16)', (c) => c.notNull())
      // email | sms | push
      .addColumn('type', 'varchar(16)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      // JSON of the credentials, encrypted with the server secret.
      .addColumn('credentials', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('messaging_providers_type').on('messaging_providers').columns(['type', 'enabled', 'created_at']).execute();

    await db.schema
      .createTable('messaging_topics')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      // JSON array of the roles that may subscribe themselves.
      .addColumn('subscribe', 'text', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('messaging_subscribers')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('topic_id', 'varchar(36)', (c) => c.notNull().references('messaging_topics.id').onDelete('cascade'))
      .addColumn('target_id', 'varchar(36)', (c) => c.notNull().references('targets.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('provider_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('messaging_subscribers_target', ['topic_id', 'target_id'])
      .execute();
    await db.schema.createIndex('messaging_subscribers_target_id').on('messaging_subscribers').column('target_id').execute();

    await db.schema
      .createTable('messaging_messages')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('provider_type', 'varchar(16)', (c) => c.notNull())
      // JSON arrays of ids.
      .addColumn('topics', 'text', (c) => c.notNull())
      .addColumn('users', 'text', (c) => c.notNull())
      .addColumn('targets', 'text', (c) => c.notNull())
      // JSON of the content: subject, content, cc … for email; title, body … for push.
      .addColumn('data', 'text', (c) => c.notNull())
      // draft | scheduled | processing | sent | failed
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('scheduled_at', 'varchar(32)')
      .addColumn('delivered_at', 'varchar(32)')
      .addColumn('delivery_errors', 'text', (c) => c.notNull())
      .addColumn('delivered_total', 'integer', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    // One row per recipient of a message, written before its send: a job retried after a
    // crash skips every target it already reached (or may have reached).
    await db.schema
      .createTable('messaging_deliveries')
      .addColumn('message_id', 'varchar(36)', (c) => c.notNull().references('messaging_messages.id').onDelete('cascade'))
      .addColumn('target_id', 'varchar(36)', (c) => c.notNull())
      // sending | sent | failed
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('messaging_deliveries_pk', ['message_id', 'target_id'])
      .execute();
  },
};
