import { createQueryId, type CompiledQuery, type Kysely } from 'kysely';
import type { PlatformTables } from '../tables.js';

const compiled = new WeakMap<Kysely<PlatformTables>, CompiledQuery<{ version: number }>>();

/**
 * The counter that every write to projects, keys and project settings moves, in the writing
 * transaction (see migration 0016): a node caching what requests read of those tables polls it.
 */
export async function readAccessVersion(db: Kysely<PlatformTables>): Promise<number> {
  let query = compiled.get(db);
  if (!query) {
    query = db.selectFrom('access_version').select('version').where('id', '=', 1).compile();
    compiled.set(db, query);
  }
  const { rows } = await db.executeQuery<{ version: number }>({ ...query, queryId: createQueryId() });
  const row = rows[0];
  if (!row) throw new Error('the access_version row is missing');
  return Number(row.version);
}
