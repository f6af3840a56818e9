import type { Kysely } from 'kysely';
import { nowDateTime } from '../../core/datetime.js';
import type { PlatformTables } from '../tables.js';

/** Every stored setting of a project, by name, values parsed from JSON. */
export async function readProjectSettings(db: Kysely<PlatformTables>, projectId: string): Promise<Map<string, unknown>> {
  const rows = await db.selectFrom('project_settings').select(['name', 'value']).where('project_id', '=', projectId).execute();
  return new Map(rows.map((row) => [row.name, JSON.parse(row.value) as unknown]));
}

export async function readProjectSetting(db: Kysely<PlatformTables>, projectId: string, name: string): Promise<unknown> {
  const row = await db
    .selectFrom('project_settings')
    .select('value')
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
}

export async function writeProjectSetting(db: Kysely<PlatformTables>, projectId: string, name: string, value: unknown): Promise<void> {
  const updated_at = nowDateTime();
  const json = JSON.stringify(value);
  await db
    .insertInto('project_settings')
    .values({ project_id: projectId, name, value: json, updated_at })
    .onConflict((conflict) => conflict.columns(['project_id', 'name']).doUpdateSet({ value: json, updated_at }))
    .execute();
}

/** Deletes the setting when it holds `expected`; true for the one caller whose delete did it. */
export async function takeProjectSetting(db: Kysely<PlatformTables>, projectId: string, name: string, expected: unknown): Promise<boolean> {
  const result = await db
    .deleteFrom('project_settings')
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .where('value', '=', JSON.stringify(expected))
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Writes the setting unless it exists; true for the one caller whose write made it. */
export async function claimProjectSetting(db: Kysely<PlatformTables>, projectId: string, name: string, value: unknown): Promise<boolean> {
  const result = await db
    .insertInto('project_settings')
    .values({ project_id: projectId, name, value: JSON.stringify(value), updated_at: nowDateTime() })
    .onConflict((conflict) => conflict.columns(['project_id', 'name']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
