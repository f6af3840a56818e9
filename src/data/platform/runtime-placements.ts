import type { Kysely } from 'kysely';
import type { PlatformTables } from '../tables.js';

/** Says that `nodeId` holds `runtime` warm until `expiresAt` (epoch ms); expired rows are swept on the way. */
export async function notePlacement(db: Kysely<PlatformTables>, runtime: string, nodeId: string, expiresAt: number, now: number): Promise<void> {
  await db
    .insertInto('runtime_placements')
    .values({ runtime, node_id: nodeId, expires_at: expiresAt })
    .onConflict((conflict) => conflict.columns(['runtime', 'node_id']).doUpdateSet({ expires_at: expiresAt }))
    .execute();
  await db.deleteFrom('runtime_placements').where('runtime', '=', runtime).where('expires_at', '<', now).execute();
}

/** The node most recently seen holding `runtime` warm, if any still does. */
export async function findPlacement(db: Kysely<PlatformTables>, runtime: string, now: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('runtime_placements')
    .select('node_id')
    .where('runtime', '=', runtime)
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.node_id;
}
