import type { Migration } from './migration.js';

/**
 * Events that consumers must not lose (function triggers, webhooks), written in the
 * transaction of the change they tell of and removed once handed on. `claimed_until`
 * (epoch ms) leases a row to the node handing it on; a node that dies lets the lease lapse.
 */
export const eventOutboxMigration: Migration = {
  name: '0011-event-outbox',
  async up(db, dialect) {
    await db.schema
      .createTable('event_outbox')
      .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('claimed_until', 'bigint')
      .execute();
  },
};
