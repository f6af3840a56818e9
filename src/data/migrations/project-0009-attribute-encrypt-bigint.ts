import type { Migration } from './migration.js';

/**
 * Two attribute options: `encrypt` (string values held encrypted at rest) and the bounds of
 * bigint attributes, as decimal text, since the double precision min/max would round them.
 */
export const attributeEncryptBigintMigration: Migration = {
  name: '0009-attribute-encrypt-bigint',
  async up(db) {
    await db.schema.alterTable('attributes').addColumn('encrypt', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('attributes').addColumn('bigint_min', 'text').execute();
    await db.schema.alterTable('attributes').addColumn('bigint_max', 'text').execute();
  },
};
