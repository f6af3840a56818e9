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
