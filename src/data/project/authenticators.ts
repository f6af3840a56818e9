import type { Kysely } from 'kysely';
import type { ProjectTables } from '../tables.js';

type Store = Kysely<ProjectTables>;

export async function hasVerifiedAuthenticator(db: Store, userId: string): Promise<boolean> {
  const row = await db.selectFrom('authenticators').select('type').where('user_id', '=', userId).where('verified', '=', 1).executeTakeFirst();
  return row !== undefined;
}
