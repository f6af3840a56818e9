import type { ColumnDataType } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Relationship attributes: what each side points at. Both sides of a two-way relationship
 * are attribute rows; `relation_seq` names the relationship's storage (the parent side's
 * sequence), so the columns and junction tables never carry a user's key.
 */
export const relationshipsMigration: Migration = {
  name: '0005-relationships',
  async up(db) {
    const columns: [string, ColumnDataType][] = [
      ['related_collection_seq', 'integer'],
      // The related collection's id, as the attribute model shows it.
      ['related_collection', 'varchar(36)'],
      // oneToOne | oneToMany | manyToOne | manyToMany
      ['relation_type', 'varchar(16)'],
      ['two_way', 'integer'],
      ['two_way_key', 'varchar(255)'],
      // cascade | restrict | setNull
      ['on_delete', 'varchar(16)'],
      // parent | child
      ['side', 'varchar(8)'],
      ['relation_seq', 'integer'],
    ];
    for (const [name, type] of columns) {
      await db.schema.alterTable('attributes').addColumn(name, type).execute();
    }
    await db.schema.createIndex('attributes_related').on('attributes').columns(['related_collection_seq']).execute();
  },
};
