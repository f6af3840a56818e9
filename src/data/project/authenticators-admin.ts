import type { Kysely } from 'kysely';
import type { ProjectTables } from '../tables.js';

type Store = Kysely<ProjectTables>;

/** Removes a user's authenticator of one type, verified or not; false when they had none. */
export async function deleteUserAuthenticator(db: Store, userId: string, type: string): Promise<boolean> {
  const result = await db.deleteFrom('authenticators').where('user_id', '=', userId).where('type', '=', type).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
