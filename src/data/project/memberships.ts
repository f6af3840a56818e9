import { sql, type Kysely, type Transaction } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { MembershipRow, ProjectTables } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';
import { inTransaction } from '../transactions.js';

type Store = Kysely<ProjectTables>;

/** How `GET /teams/ID/memberships` queries map onto the memberships table. */
export const MEMBERSHIPS_LIST_TABLE: ListTable = {
  table: 'memberships',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    userId: 'user_id',
    teamId: 'team_id',
    invited: 'invited_at',
    joined: 'joined_at',
    confirm: 'confirmed',
    // A JSON array as text: `contains` with a quoted role matches one whole role.
    roles: 'roles',
  },
  searchColumn: 'search',
  booleanColumns: ['confirmed'],
};

/** What the membership model shows of its user. */
export interface MemberProfile {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** MFA switched on and at least one factor able to answer (verified email or phone, or an authenticator). */
  mfa: boolean;
}

export async function findMembership(db: Store, id: string): Promise<MembershipRow | undefined> {
  return db.selectFrom('memberships').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTeamMembershipOfUser(db: Store, teamId: string, userId: string): Promise<MembershipRow | undefined> {
  return db.selectFrom('memberships').selectAll().where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
}

/** Adds one to the team's member count for a membership that became confirmed. */
async function countJoin(trx: Transaction<ProjectTables>, teamId: string): Promise<void> {
  await trx
    .updateTable('teams')
    .set({ total: sql<number>`total + 1` })
    .where('id', '=', teamId)
    .execute();
}

/**
 * Inserts a membership and counts it when it is already confirmed. Returns 'exists' when
 * the user already has a membership of that team (a race with another invitation).
 */
export async function insertMembership(db: Store, row: MembershipRow): Promise<'exists' | undefined> {
  const outcome = await uniqueOrExists(() =>
    inTransaction(db, async (trx) => {
      await trx.insertInto('memberships').values(row).execute();
      if (row.confirmed === 1) await countJoin(trx, row.team_id);
    }),
  );
  return outcome === 'exists' ? 'exists' : undefined;
}

/**
 * Re-issues an open invitation (a new secret, a new invited date), confirming it at once
 * when `joinedAt` is given. False when the membership was confirmed meanwhile.
 */
export async function renewInvitation(
  db: Store,
  membership: Pick<MembershipRow, 'id' | 'team_id'>,
  changes: Pick<MembershipRow, 'secret_hash' | 'invited_at' | 'updated_at'> & { joined_at?: string },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const confirm = changes.joined_at !== undefined;
    const result = await trx
      .updateTable('memberships')
      .set({ ...changes, ...(confirm ? { confirmed: 1 } : {}) })
      .where('id', '=', membership.id)
      .where('confirmed', '=', 0)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    if (confirm) await countJoin(trx, membership.team_id);
    return true;
  });
}

/**
 * Confirms an open invitation and counts the new member, in one transaction. False when
 * it was already confirmed (two acceptances racing count once).
 */
export async function confirmMembership(
  db: Store,
  membership: Pick<MembershipRow, 'id' | 'team_id'>,
  joinedAt: string,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('memberships')
      .set({ confirmed: 1, joined_at: joinedAt, updated_at: joinedAt })
      .where('id', '=', membership.id)
      .where('confirmed', '=', 0)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await countJoin(trx, membership.team_id);
    return true;
  });
}

export async function updateMembershipRoles(db: Store, id: string, roles: string, updatedAt: string): Promise<MembershipRow | undefined> {
  await db.updateTable('memberships').set({ roles, updated_at: updatedAt }).where('id', '=', id).execute();
  return findMembership(db, id);
}

/**
 * How many memberships of the team (invitations included) hold the `owner` role, counted up to
 * `max`. Roles are a JSON array as text and role names hold no quotes, so `"owner"` with its
 * quotes is one whole role; `replace` keeps the test case-sensitive on both engines.
 */
export async function countTeamOwners(db: Store, teamId: string, max: number): Promise<number> {
  const rows = await db
    .selectFrom('memberships')
    .select('id')
    .where('team_id', '=', teamId)
    .where(sql<boolean>`replace(roles, '"owner"', '') <> roles`)
    .limit(max)
    .execute();
  return rows.length;
}

/** Deletes a membership, taking a confirmed one off the team's count (never below zero). */
export async function deleteMembership(db: Store, id: string): Promise<MembershipRow | undefined> {
  return inTransaction(db, async (trx) => {
    const [deleted] = await trx.deleteFrom('memberships').where('id', '=', id).returningAll().execute();
    if (deleted?.confirmed === 1) {
      await trx
        .updateTable('teams')
        .set({ total: sql<number>`case when total > 0 then total - 1 else 0 end` })
        .where('id', '=', deleted.team_id)
        .execute();
    }
    return deleted;
  });
}

/** One page of a team's memberships under the parsed queries and the search words. */
export async function listMembershipRows(
  db: Store,
  teamId: string,
  list: ParsedList,
  options: { total: boolean; search?: string },
): Promise<{ total: number; rows: MembershipRow[] }> {
  return listRows<MembershipRow>(db, MEMBERSHIPS_LIST_TABLE, list, {
    total: options.total,
    where: { team_id: teamId },
    ...(options.search ? { search: options.search } : {}),
  });
}

/** The users behind memberships, by id, with what the membership model needs of each. */
export async function findMemberProfiles(db: Store, userIds: readonly string[]): Promise<Map<string, MemberProfile>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const [users, authenticators] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'name', 'email', 'phone', 'mfa', 'email_verified', 'phone_verified'])
      .where('id', 'in', ids)
      .execute(),
    db.selectFrom('authenticators').select('user_id').where('user_id', 'in', ids).where('verified', '=', 1).execute(),
  ]);
  const withAuthenticator = new Set(authenticators.map((row) => row.user_id));
  const profiles = new Map<string, MemberProfile>();
  for (const user of users) {
    const canAnswer = withAuthenticator.has(user.id) || (user.email !== null && user.email_verified === 1) || (user.phone !== null && user.phone_verified === 1);
    profiles.set(user.id, { id: user.id, name: user.name, email: user.email, phone: user.phone, mfa: user.mfa === 1 && canAnswer });
  }
  return profiles;
}
