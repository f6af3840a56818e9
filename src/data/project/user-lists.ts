import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { MEMBERSHIPS_LIST_TABLE } from './memberships.js';
import { listRows, type ListTable } from '../list-query.js';
import { inTransaction } from '../transactions.js';
import type { MembershipRow, ProjectTables, TargetRow, TeamRow, UserRow } from '../tables.js';

type Store = Kysely<ProjectTables>;

/** The lists of the Users API: which attributes queries may name, and the columns behind them. */
export const USER_LIST: ListTable = {
  table: 'users',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    email: 'email',
    phone: 'phone',
    status: 'status',
    passwordUpdate: 'password_updated_at',
    registration: 'registered_at',
    emailVerification: 'email_verified',
    phoneVerification: 'phone_verified',
    // A JSON array as text, so `contains` finds a label by its quoted name.
    labels: 'labels',
    accessedAt: 'accessed_at',
  },
  searchColumn: 'search',
  booleanColumns: ['status', 'email_verified', 'phone_verified'],
};

export const TARGET_LIST: ListTable = {
  table: 'targets',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    userId: 'user_id',
    name: 'name',
    providerId: 'provider_id',
    providerType: 'provider_type',
    identifier: 'identifier',
    expired: 'expired',
  },
  booleanColumns: ['expired'],
};

export type ListPage<Row> = Promise<{ total: number; rows: Row[] }>;

export async function listUserRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }): ListPage<UserRow> {
  return listRows<UserRow>(db, USER_LIST, list, options);
}

export async function listTargetRows(db: Store, userId: string, list: ParsedList, options: { total: boolean }): ListPage<TargetRow> {
  return listRows<TargetRow>(db, TARGET_LIST, list, { ...options, where: { user_id: userId } });
}

export async function listMembershipRows(
  db: Store,
  userId: string,
  list: ParsedList,
  options: { total: boolean; search?: string },
): ListPage<MembershipRow> {
  return listRows<MembershipRow>(db, MEMBERSHIPS_LIST_TABLE, list, { ...options, where: { user_id: userId } });
}

export async function findTeamsByIds(db: Store, teamIds: readonly string[]): Promise<TeamRow[]> {
  if (teamIds.length === 0) return [];
  return db.selectFrom('teams').selectAll().where('id', 'in', teamIds).execute();
}

/**
 * Deletes a user and everything of theirs in one transaction, taking their confirmed
 * memberships off their teams' totals first. False when there was no such user.
 */
export async function deleteUserWithDependents(db: Store, userId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const teams = await trx.selectFrom('memberships').select('team_id').where('user_id', '=', userId).where('confirmed', '=', 1).execute();
    if (teams.length > 0) {
      await trx
        .updateTable('teams')
        .set((eb) => ({ total: eb('total', '-', 1) }))
        .where('id', 'in', teams.map((row) => row.team_id))
        .where('total', '>', 0)
        .execute();
    }
    // Foreign keys cascade too; deleting explicitly keeps the outcome independent of that.
    for (const table of ['sessions', 'tokens', 'memberships', 'identities', 'targets', 'authenticators', 'challenges'] as const) {
      await trx.deleteFrom(table).where('user_id', '=', userId).execute();
    }
    const result = await trx.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}
