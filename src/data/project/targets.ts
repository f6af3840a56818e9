import type { Kysely } from 'kysely';
import type { ProjectTables, TargetRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';
import { inTransaction } from '../transactions.js';

type Store = Kysely<ProjectTables>;

/** Which unique rule a target write broke: its id, or (provider type, identifier). */
export type TargetConflict = 'id' | 'identifier';

/** Inserts a target, or names the clash (checked in the same transaction). */
export async function insertTarget(db: Store, row: TargetRow): Promise<TargetConflict | undefined> {
  const conflict = async (trx: Store): Promise<TargetConflict | undefined> => {
    const clash = await findClash(trx, row.provider_type, row.identifier, undefined);
    if (await trx.selectFrom('targets').select('id').where('id', '=', row.id).executeTakeFirst()) return 'id';
    return clash ? 'identifier' : undefined;
  };
  const insert = async (trx: Store): Promise<TargetConflict | undefined> => {
    const found = await conflict(trx);
    if (found) return found;
    await trx.insertInto('targets').values(row).execute();
    return undefined;
  };
  // In the caller's transaction a racing key aborts it: the error goes up (see againIfDuplicate).
  if (db.isTransaction) return insert(db);
  const outcome = await uniqueOrExists(() => db.transaction().execute(insert));
  // A racing insert got in between the check and the write: the check names it now.
  return outcome === 'exists' ? ((await conflict(db)) ?? 'id') : outcome;
}

export async function findUserTarget(db: Store, userId: string, targetId: string): Promise<TargetRow | undefined> {
  return db.selectFrom('targets').selectAll().where('user_id', '=', userId).where('id', '=', targetId).executeTakeFirst();
}

/** A user's target of one provider type (their email or sms target), oldest first. */
export async function findUserTargetOfType(db: Store, userId: string, providerType: string): Promise<TargetRow | undefined> {
  return db
    .selectFrom('targets')
    .selectAll()
    .where('user_id', '=', userId)
    .where('provider_type', '=', providerType)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
}

/** The targets of some users, oldest first, for the user model. */
export async function listTargetsOfUsers(db: Store, userIds: readonly string[]): Promise<TargetRow[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('targets').selectAll().where('user_id', 'in', userIds).orderBy('created_at').orderBy('id').execute();
}

/** Updates a target unless the new identifier is taken by another target of the same type. */
export async function updateTarget(
  db: Store,
  targetId: string,
  changes: Partial<Pick<TargetRow, 'identifier' | 'provider_id' | 'name' | 'expired'>> & Pick<TargetRow, 'updated_at'>,
): Promise<TargetConflict | undefined> {
  return inTransaction(db, async (trx) => {
    if (changes.identifier !== undefined) {
      const current = await trx.selectFrom('targets').select('provider_type').where('id', '=', targetId).executeTakeFirst();
      if (current && (await findClash(trx, current.provider_type, changes.identifier, targetId))) return 'identifier';
    }
    await trx.updateTable('targets').set(changes).where('id', '=', targetId).execute();
    return undefined;
  });
}

export async function deleteTarget(db: Store, targetId: string): Promise<boolean> {
  const result = await db.deleteFrom('targets').where('id', '=', targetId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

async function findClash(db: Store, providerType: string, identifier: string, exceptId: string | undefined): Promise<boolean> {
  let query = db.selectFrom('targets').select('id').where('provider_type', '=', providerType).where('identifier', '=', identifier);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}
