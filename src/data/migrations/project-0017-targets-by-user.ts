import type { Migration } from './migration.js';

/**
 * A message to a user's targets reads them page by page in id order: with (user_id, id) each page
 * is a range of the index, where an index on user_id alone sorted every target of the user again
 * for each page.
 */
export const targetsByUserMigration: Migration = {
  name: '0017-targets-by-user',
  async up(db) {
    await db.schema.createIndex('targets_user_id').on('targets').columns(['user_id', 'id']).execute();
    await db.schema.dropIndex('targets_user').execute();
  },
};
