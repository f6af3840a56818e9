import type { Kysely } from 'kysely';
import type { ChallengeRow, ProjectTables } from '../tables.js';

type Store = Kysely<ProjectTables>;

export async function insertChallenge(db: Store, row: ChallengeRow): Promise<void> {
  await db.insertInto('challenges').values(row).execute();
}

export async function findChallenge(db: Store, userId: string, challengeId: string): Promise<ChallengeRow | undefined> {
  return db.selectFrom('challenges').selectAll().where('user_id', '=', userId).where('id', '=', challengeId).executeTakeFirst();
}

/** Deletes a challenge; false when another request took it first, so each is completed once. */
export async function consumeChallenge(db: Store, userId: string, challengeId: string): Promise<boolean> {
  const result = await db.deleteFrom('challenges').where('user_id', '=', userId).where('id', '=', challengeId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Drops a user's challenges (and markers) that expired before `now`; they are never useful again. */
export async function deleteExpiredChallenges(db: Store, userId: string, now: string): Promise<void> {
  await db.deleteFrom('challenges').where('user_id', '=', userId).where('expire', '<', now).execute();
}

/**
 * Records a row under an id that must be unique, such as a marker that a one-time code
 * was used; false when the id was already taken, which the primary key decides even
 * when two requests race.
 */
export async function claimChallengeId(db: Store, row: ChallengeRow): Promise<boolean> {
  const inserted = await db
    .insertInto('challenges')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .execute();
  return inserted.length > 0;
}
