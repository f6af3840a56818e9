import type { Migration } from './migration.js';

/**
 * Database transactions: a transaction row, and the writes staged in it in arrival order.
 * Staged writes are applied together when the transaction commits.
 */
export const transactionsMigration: Migration = {
  name: '0004-transactions',
  async up(db, dialect) {
    await db.schema
      .createTable('transactions')
      .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
      .addColumn('id', 'varchar(36)', (c) => c.notNull().unique())
      // pending | committing | committed | rolled_back | failed
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('operations', 'integer', (c) => c.notNull())
      // `user:ID` of the user who opened it; '' for API keys and guests, whom no user sees.
      .addColumn('owner', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('transactions_owner').on('transactions').columns(['owner', 'created_at']).execute();
    await db.schema
      .createTable('transaction_operations')
      .addColumn('seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
      .addColumn('transaction_seq', 'integer', (c) => c.notNull())
      // create | update | upsert | delete | increment | decrement | bulkCreate | bulkUpdate | bulkUpsert | bulkDelete
      .addColumn('action', 'varchar(16)', (c) => c.notNull())
      .addColumn('database_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('collection_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('document_id', 'varchar(36)')
      // JSON of the operation's data, as the API received it.
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('transaction_operations_order').on('transaction_operations').columns(['transaction_seq', 'seq']).execute();
  },
};
