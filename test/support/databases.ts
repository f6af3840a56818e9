import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { templateDatabase } from './store-template.js';

/** Set to a postgres:// URL to run the suite on PostgreSQL; unset runs it on SQLite. */
export const TEST_DATABASE_URL = process.env.PLINTH_TEST_DB || undefined;

export const engineLabel = TEST_DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestDatabase {
  /** What to put in PLINTH_DB: undefined for SQLite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: on PostgreSQL a fresh database created from
 * the admin URL and dropped afterwards, so files can run in parallel without sharing rows.
 * `migrated` copies one already at the current platform schema instead of an empty one.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) return { url: undefined, drop: async () => {} };
  const name = `plinth_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? ` template "${await templateDatabase(TEST_DATABASE_URL)}"` : '';
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
