import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseListQueries } from '../../src/core/queries.js';
import type { Database } from '../../src/data/database.js';
import { insertProject } from '../../src/data/platform/projects.js';
import { insertSchedule, listScheduleRows, SCHEDULE_QUERY_ATTRIBUTES } from '../../src/data/platform/schedules.js';
import type { ScheduleRow } from '../../src/data/tables.js';
import { engineLabel } from '../support/databases.js';
import { TestStore } from './helpers.js';

/** More rows than either engine takes parameters, had each value been one (10 columns each). */
const IMPLIED_COUNT = 7_000;

function schedule(id: string, resourceType: ScheduleRow['resource_type'], createdAt: string, active: number): ScheduleRow {
  return {
    id,
    project_id: 'crowded',
    resource_type: resourceType,
    resource_id: `r-${id}`,
    resource_updated_at: createdAt,
    schedule: '0 * * * *',
    data: JSON.stringify({ path: `/${id}`, note: 'it\'s "quoted"' }),
    active,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

describe(`Project schedules list, stored and implied (${engineLabel})`, () => {
  let store: TestStore;
  let db: Database;
  const implied = Array.from({ length: IMPLIED_COUNT }, (_, i) =>
    schedule(`implied-${String(i).padStart(5, '0')}`, 'execution', new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), i % 2),
  );

  before(async () => {
    store = await TestStore.create();
    db = store.open();
    await db.migrate();
    const now = new Date().toISOString();
    await insertProject(db.platform, { id: 'crowded', name: 'Crowded', created_at: now, updated_at: now });
    await insertSchedule(db.platform, schedule('stored', 'function', '2025-12-31T00:00:00.000Z', 1));
  });
  after(async () => store.destroy());

  const list = (queries: string[]) => listScheduleRows(db.platform, db.dialect, 'crowded', implied, parseListQueries(queries, { attributes: SCHEDULE_QUERY_ATTRIBUTES }), { total: true });

  it('lists thousands of implied schedules beside the stored ones, with every value intact', async () => {
    const page = await list(['{"method":"limit","values":[3]}']);
    // Totals stop at 5000, as Appwrite counts.
    assert.equal(page.total, 5000);
    assert.deepEqual(page.rows, [schedule('stored', 'function', '2025-12-31T00:00:00.000Z', 1), implied[0], implied[1]]);
  });

  it('filters, orders and counts across the implied rows', async () => {
    const page = await list([
      '{"method":"equal","attribute":"active","values":[true]}',
      '{"method":"equal","attribute":"resourceType","values":["execution"]}',
      '{"method":"orderDesc","attribute":"$createdAt"}',
      '{"method":"limit","values":[2]}',
    ]);
    assert.equal(page.total, IMPLIED_COUNT / 2);
    assert.deepEqual(
      page.rows.map((row) => row.id),
      [implied[IMPLIED_COUNT - 1]!.id, implied[IMPLIED_COUNT - 3]!.id],
    );
  });
});
