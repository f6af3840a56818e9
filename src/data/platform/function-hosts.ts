import type { Kysely } from 'kysely';
import type { PlatformTables } from '../tables.js';

/**
 * Gives a function its host name. Function ids are unique per project only: when another
 * project already holds the id, that one keeps the name and this returns false.
 */
export async function claimFunctionHost(db: Kysely<PlatformTables>, functionId: string, projectId: string): Promise<boolean> {
  const result = await db
    .insertInto('function_hosts')
    .values({ function_id: functionId, project_id: projectId })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Frees the host name, if this project's function held it. */
export async function releaseFunctionHost(db: Kysely<PlatformTables>, functionId: string, projectId: string): Promise<void> {
  await db.deleteFrom('function_hosts').where('function_id', '=', functionId).where('project_id', '=', projectId).execute();
}

export async function findFunctionHostProject(db: Kysely<PlatformTables>, functionId: string): Promise<string | undefined> {
  const row = await db.selectFrom('function_hosts').select('project_id').where('function_id', '=', functionId).executeTakeFirst();
  return row?.project_id;
}
