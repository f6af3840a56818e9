import type { Migration } from './migration.js';

/** A Web Push target's identifier is the browser's PushSubscription as JSON, up to 2,048 characters. */
export const webPushIdentifiersMigration: Migration = {
  name: '0014-web-push-identifiers',
  async up(db, dialect) {
    await dialect.widenVarchar(db, 'targets', 'identifier', 2048);
  },
};
