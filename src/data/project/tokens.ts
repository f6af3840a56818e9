import type { Kysely } from 'kysely';
import type { ProjectTables, TokenRow } from '../tables.js';

type Store = Kysely<ProjectTables>;

export async function insertToken(db: Store, row: TokenRow): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

/**
 * Takes a token of the user matching one of the types and the secret's hash, deleting
 * it in the same statement so a secret is used once even when two requests race.
 */
export async function consumeToken(db: Store, userId: string, types: readonly string[], secretHash: string): Promise<TokenRow | undefined> {
  const rows = await db
    .deleteFrom('tokens')
    .where('user_id', '=', userId)
    .where('type', 'in', types)
    .where('secret_hash', '=', secretHash)
    .returningAll()
    .execute();
  return rows[0];
}

export async function deleteUserTokens(db: Store, userId: string, type: string): Promise<void> {
  await db.deleteFrom('tokens').where('user_id', '=', userId).where('type', '=', type).execute();
}
