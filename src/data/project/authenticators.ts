import type { Kysely } from 'kysely';
import type { AuthenticatorRow, ProjectTables } from '../tables.js';

type Store = Kysely<ProjectTables>;

export async function hasVerifiedAuthenticator(db: Store, userId: string): Promise<boolean> {
  const row = await db.selectFrom('authenticators').select('type').where('user_id', '=', userId).where('verified', '=', 1).executeTakeFirst();
  return row !== undefined;
}

export async function findAuthenticator(db: Store, userId: string, type: string): Promise<AuthenticatorRow | undefined> {
  return db.selectFrom('authenticators').selectAll().where('user_id', '=', userId).where('type', '=', type).executeTakeFirst();
}

/**
 * Stores a fresh unverified authenticator, replacing an unverified one left from an
 * abandoned enrolment. Returns false, changing nothing, when a verified one exists.
 */
export async function replaceUnverifiedAuthenticator(db: Store, row: AuthenticatorRow): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('authenticators')
      .select('verified')
      .where('user_id', '=', row.user_id)
      .where('type', '=', row.type)
      .executeTakeFirst();
    if (existing?.verified === 1) return false;
    if (existing) await trx.deleteFrom('authenticators').where('user_id', '=', row.user_id).where('type', '=', row.type).execute();
    await trx.insertInto('authenticators').values(row).execute();
    return true;
  });
}

/** Marks an unverified authenticator verified; false when it was not (still) unverified. */
export async function markAuthenticatorVerified(db: Store, userId: string, type: string, updatedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('authenticators')
    .set({ verified: 1, updated_at: updatedAt })
    .where('user_id', '=', userId)
    .where('type', '=', type)
    .where('verified', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** False when the user had no such authenticator. */
export async function deleteAuthenticator(db: Store, userId: string, type: string): Promise<boolean> {
  const result = await db.deleteFrom('authenticators').where('user_id', '=', userId).where('type', '=', type).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
