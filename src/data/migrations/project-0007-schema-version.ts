import { randomInt } from 'node:crypto';
import type { Migration } from './migration.js';

/**
 * One row counting writes to the Databases metadata (databases, collections, attributes,
 * indexes), bumped by triggers in the writing transaction. Nodes cache metadata per value
 * of the counter. It starts at a random value so that a project deleted and created again
 * under the same id does not count through the values a node cached for the old one.
 */
export const schemaVersionMigration: Migration = {
  name: '0007-schema-version',
  async up(db, dialect) {
    await db.schema
      .createTable('schema_version')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.insertInto('schema_version').values({ id: 1, version: randomInt(2 ** 30) }).execute();
    await dialect.countWrites(db, ['databases', 'collections', 'attributes', 'indexes'], { table: 'schema_version', column: 'version' });
  },
};
