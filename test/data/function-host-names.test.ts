import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformMigrations } from '../../src/data/migrations/platform.js';
import { TestStore } from './helpers.js';

const RENAMING = platformMigrations.find((migration) => migration.name === '0006-unambiguous-function-host-names')!;

describe('function host names of an existing store', () => {
  it('are given again: long forms with `--`, bare names kept by who held them unless they hold `--`', async () => {
    const store = await TestStore.create();
    try {
      const db = store.open();
      await db.migrate();
      const now = '2026-01-01T00:00:00.000+00:00';
      await db.platform.insertInto('projects').values(['p1', 'other'].map((id) => ({ id, name: id, created_at: now, updated_at: now }))).execute();
      // As the former rules left them: the squatter's bare `billing-p1` held p1's long form first.
      await db.platform
        .insertInto('function_host_names')
        .values([
          { host: 'billing-p1', function_id: 'billing-p1', project_id: 'other' },
          { host: 'billing-p1-other', function_id: 'billing-p1', project_id: 'other' },
          { host: 'billing', function_id: 'Billing', project_id: 'p1' },
          { host: 'a--b', function_id: 'a--b', project_id: 'other' },
          { host: 'a--b-other', function_id: 'a--b', project_id: 'other' },
        ])
        .execute();
      await RENAMING.up(db.platform, undefined as never);
      const rows = await db.platform.selectFrom('function_host_names').select(['host', 'function_id', 'project_id']).execute();
      // Sorted here: a database's collation may order hyphens its own way.
      assert.deepEqual(rows.sort((a, b) => (a.host < b.host ? -1 : 1)), [
        { host: 'a--b--other', function_id: 'a--b', project_id: 'other' },
        { host: 'billing', function_id: 'Billing', project_id: 'p1' },
        { host: 'billing--p1', function_id: 'Billing', project_id: 'p1' },
        { host: 'billing-p1', function_id: 'billing-p1', project_id: 'other' },
        { host: 'billing-p1--other', function_id: 'billing-p1', project_id: 'other' },
      ]);
    } finally {
      await store.destroy();
    }
  });
});
