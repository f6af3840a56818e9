import type { Kysely } from 'kysely';
import type { ProjectTables, UserRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

type Store = Kysely<ProjectTables>;

/** Which unique field an insert or update collided with, if any. */
export type UserConflict = 'id' | 'email' | 'phone';

/** Inserts a user, or names the unique field already taken (checked in the same transaction). */
export async function insertUser(db: Store, row: UserRow): Promise<UserConflict | undefined> {
  const insert = async (trx: Store): Promise<UserConflict | undefined> => {
    const conflict = await findConflict(trx, row.id, row.email, row.phone, undefined);
    if (conflict) return conflict;
    await trx.insertInto('users').values(row).execute();
    return undefined;
  };
  // In the caller's transaction a racing key aborts it: the error goes up (see againIfDuplicate).
  if (db.isTransaction) return insert(db);
  const outcome = await uniqueOrExists(() => db.transaction().execute(insert));
  // A racing write took a key between the check and the insert: the check names it now.
  return outcome === 'exists' ? ((await findConflict(db, row.id, row.email, row.phone, undefined)) ?? 'id') : outcome;
}

export async function findUserById(db: Store, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Store, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserByPhone(db: Store, phone: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export type UserChanges = Partial<Omit<UserRow, 'id' | 'created_at'>> & Pick<UserRow, 'updated_at'>;

/**
 * Updates a user unless a new email or phone belongs to someone else. Returns the
 * conflict, 'missing' when there is no such user, or undefined when it was saved.
 */
export async function updateUser(db: Store, id: string, changes: UserChanges): Promise<UserConflict | 'missing' | undefined> {
  const update = async (trx: Store): Promise<UserConflict | 'missing' | undefined> => {
    const conflict = await findConflict(trx, undefined, changes.email ?? null, changes.phone ?? null, id);
    if (conflict) return conflict;
    const result = await trx.updateTable('users').set(changes).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 ? undefined : 'missing';
  };
  // In the caller's transaction a racing key aborts it: the error goes up (see againIfDuplicate).
  if (db.isTransaction) return update(db);
  const outcome = await uniqueOrExists(() => db.transaction().execute(update));
  if (outcome !== 'exists') return outcome;
  return (await findConflict(db, undefined, changes.email ?? null, changes.phone ?? null, id)) ?? 'email';
}

export async function deleteUser(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countUsers(db: Store): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

async function findConflict(
  db: Store,
  id: string | undefined,
  email: string | null,
  phone: string | null,
  exceptId: string | undefined,
): Promise<UserConflict | undefined> {
  if (id === undefined && email === null && phone === null) return undefined;
  let query = db.selectFrom('users').select(['id', 'email', 'phone']);
  query = query.where((eb) => {
    const any = [];
    if (id !== undefined) any.push(eb('id', '=', id));
    if (email !== null) any.push(eb('email', '=', email));
    if (phone !== null) any.push(eb('phone', '=', phone));
    return eb.or(any);
  });
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  const rows = await query.limit(3).execute();
  if (id !== undefined && rows.some((row) => row.id === id)) return 'id';
  if (email !== null && rows.some((row) => row.email === email)) return 'email';
  if (phone !== null && rows.some((row) => row.phone === phone)) return 'phone';
  return undefined;
}

/**
 * Swaps the sealed recovery codes only if they are still the ones read, so two requests
 * spending the same code cannot both succeed.
 */
export async function swapRecoveryCodes(db: Store, userId: string, expected: string, next: string | null, updatedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ mfa_recovery_codes: next, updated_at: updatedAt })
    .where('id', '=', userId)
    .where('mfa_recovery_codes', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
