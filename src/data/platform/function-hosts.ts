import type { Kysely } from 'kysely';
import { functionHostLabels } from '../../core/function-host-labels.js';
import type { PlatformTables } from '../tables.js';

/**
 * Gives a function its host names: `<functionId>--<projectId>`, which no other function's names can
 * equal, then `<functionId>` when no other project's function holds it (function ids are unique per
 * project only) and no rule holds `<functionId>.<functionsDomain>`. Returns the names this function got.
 */
export async function claimFunctionHosts(db: Kysely<PlatformTables>, functionId: string, projectId: string, functionsDomain: string): Promise<string[]> {
  const { long, bare } = functionHostLabels(functionId, projectId);
  const claimed: string[] = [];
  for (const host of [long, bare]) {
    if (host === undefined) continue;
    const ruled = await db.selectFrom('proxy_rules').select('id').where('domain', '=', `${host}.${functionsDomain}`).executeTakeFirst();
    if (ruled) continue;
    const result = await db
      .insertInto('function_host_names')
      .values({ host, function_id: functionId, project_id: projectId })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) claimed.push(host);
  }
  return claimed;
}

/** Frees the host names this project's function held. */
export async function releaseFunctionHosts(db: Kysely<PlatformTables>, functionId: string, projectId: string): Promise<void> {
  await db.deleteFrom('function_host_names').where('function_id', '=', functionId).where('project_id', '=', projectId).execute();
}

export async function findFunctionHost(db: Kysely<PlatformTables>, host: string): Promise<{ projectId: string; functionId: string } | undefined> {
  const row = await db.selectFrom('function_host_names').select(['project_id', 'function_id']).where('host', '=', host).executeTakeFirst();
  return row && { projectId: row.project_id, functionId: row.function_id };
}
