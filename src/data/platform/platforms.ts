import type { Kysely } from 'kysely';
import type { PlatformTables } from '../tables.js';

/** The web hostnames registered for a project: they decide which browser origins may call it. */
export async function listWebHostnames(db: Kysely<PlatformTables>, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('platforms')
    .select('hostname')
    .where('project_id', '=', projectId)
    .where('hostname', 'is not', null)
    .execute();
  return rows.map((row) => row.hostname as string);
}
