import type { Kysely } from 'kysely';
import type { PlatformTables } from '../tables.js';

/** Notes that a project's store has an outbox, so recovery after a crash knows to read it. */
export async function markOutboxProject(platform: Kysely<PlatformTables>, projectId: string): Promise<void> {
  await platform
    .insertInto('event_outbox_projects')
    .values({ project_id: projectId })
    .onConflict((conflict) => conflict.column('project_id').doNothing())
    .execute();
}

/** Projects that still exist and have had an outbox written. */
export async function listOutboxProjects(platform: Kysely<PlatformTables>): Promise<string[]> {
  const rows = await platform
    .selectFrom('event_outbox_projects')
    .innerJoin('projects', 'projects.id', 'event_outbox_projects.project_id')
    .select('event_outbox_projects.project_id')
    .execute();
  return rows.map((row) => row.project_id);
}
