import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Grant } from '../../core/permissions.js';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import { isDuplicate } from '../duplicates.js';
import { inTransaction } from '../transactions.js';
import type { ProjectTables } from '../tables.js';
import type { PresenceRow } from './presence-tables.js';

export type { PresenceRow } from './presence-tables.js';

type Store = Kysely<ProjectTables>;

export type PresenceFields = Omit<PresenceRow, 'seq' | 'id' | 'created_at'>;

/** How `GET /presences` queries map onto the table. */
export const PRESENCES_LIST_TABLE: ListTable = {
  table: 'presences',
  columns: {
    $id: 'id',
    $sequence: 'seq',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    userId: 'user_id',
    userInternalId: 'user_id',
    status: 'status',
    source: 'source',
    expiresAt: 'expires_at',
    expiry: 'expires_at',
  },
  numberColumns: ['seq'],
  defaultOrderColumn: 'seq',
};

/** A presence id or user already taken by another row. */
export class PresenceConflictError extends Error {}

function stillActive(now: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref('presences.expires_at')} is null or ${sql.ref('presences.expires_at')} > ${now})`;
}

/** A presence that has not expired at `now`. */
export async function findActivePresence(db: Store, id: string, now: string): Promise<PresenceRow | undefined> {
  return db.selectFrom('presences').selectAll().where('id', '=', id).where(stillActive(now)).executeTakeFirst();
}

/** The user's presence, expired or not: each user has one row. */
export async function findPresenceOfUser(db: Store, userId: string): Promise<PresenceRow | undefined> {
  return db.selectFrom('presences').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Creates the user's presence, or replaces the fields of the one they have (keeping its id), in
 * one transaction with its grants. Returns the row and whether it is new.
 */
export async function upsertPresenceRow(
  db: Store,
  id: string,
  fields: PresenceFields,
  grants: readonly Grant[],
  now: string,
): Promise<{ row: PresenceRow; created: boolean }> {
  try {
    return await inTransaction(db, async (trx) => {
      const existing = await trx.selectFrom('presences').selectAll().where('user_id', '=', fields.user_id).executeTakeFirst();
      if (existing) {
        const row = await trx.updateTable('presences').set(fields).where('seq', '=', existing.seq).returningAll().executeTakeFirstOrThrow();
        await replaceGrants(trx, row.seq, grants);
        return { row, created: false };
      }
      const row = await trx
        .insertInto('presences')
        .values({ ...fields, id, created_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await replaceGrants(trx, row.seq, grants);
      return { row, created: true };
    });
  } catch (error) {
    if (isDuplicate(error)) throw new PresenceConflictError(id);
    throw error;
  }
}

/** Changes some fields of a presence (and its grants when given). */
export async function updatePresenceRow(
  db: Store,
  seq: number,
  changes: Partial<PresenceFields>,
  grants: readonly Grant[] | undefined,
): Promise<PresenceRow> {
  try {
    return await inTransaction(db, async (trx) => {
      const row = await trx.updateTable('presences').set(changes).where('seq', '=', seq).returningAll().executeTakeFirstOrThrow();
      if (grants) await replaceGrants(trx, seq, grants);
      return row;
    });
  } catch (error) {
    if (isDuplicate(error)) throw new PresenceConflictError(String(seq));
    throw error;
  }
}

export async function deletePresenceRow(db: Store, seq: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('presence_permissions').where('presence_seq', '=', seq).execute();
    await trx.deleteFrom('presences').where('seq', '=', seq).execute();
  });
}

/** Presences that expired by `now`, for the sweep that ends them with their events. */
export async function listExpiredPresences(db: Store, now: string, limit: number): Promise<PresenceRow[]> {
  return db.selectFrom('presences').selectAll().where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute();
}

/** Deletes a presence only if it is still expired (a refresh may have raced the sweep); whether it did. */
export async function deleteIfExpired(db: Store, seq: number, now: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx.deleteFrom('presences').where('seq', '=', seq).where('expires_at', '<=', now).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return false;
    await trx.deleteFrom('presence_permissions').where('presence_seq', '=', seq).execute();
    return true;
  });
}

/** Moves the expiry of a live connection's presences, so only presences of dead connections lapse. */
export async function extendPresences(db: Store, userId: string, ids: readonly string[], expiresAt: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('presences').set({ expires_at: expiresAt }).where('user_id', '=', userId).where('source', '=', 'realtime').where('id', 'in', [...ids]).execute();
}

/** One page of active presences; with `readableBy`, only those the roles may read. */
export async function listPresenceRows(
  db: Store,
  list: ParsedList,
  options: { total: boolean; now: string; readableBy?: readonly string[] },
): Promise<{ total: number; rows: PresenceRow[] }> {
  const conditions = [stillActive(options.now)];
  if (options.readableBy) conditions.push(grantedTo(db, options.readableBy));
  return listRows<PresenceRow>(db, PRESENCES_LIST_TABLE, list, { total: options.total, conditions });
}

function grantedTo(db: Store, roles: readonly string[]): RawBuilder<SqlBool> {
  if (roles.length === 0) return sql<SqlBool>`1 = 0`;
  const granted = db
    .selectFrom('presence_permissions as p')
    .select(sql<number>`1`.as('one'))
    // The outer query's presences row, which this subquery's own tables do not name.
    .whereRef('p.presence_seq', '=', sql.ref<number>('presences.seq'))
    .where('p.type', '=', 'read')
    .where('p.role', 'in', [...roles]);
  return sql<SqlBool>`exists ${granted}`;
}

async function replaceGrants(db: Store, seq: number, grants: readonly Grant[]): Promise<void> {
  await db.deleteFrom('presence_permissions').where('presence_seq', '=', seq).execute();
  if (grants.length === 0) return;
  await db
    .insertInto('presence_permissions')
    .values(grants.map((grant) => ({ presence_seq: seq, type: grant.type, role: grant.role })))
    .execute();
}
