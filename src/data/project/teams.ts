import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { MembershipRow, ProjectTables, TeamRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';
import { inTransaction } from '../transactions.js';

type Store = Kysely<ProjectTables>;

/** How `GET /teams` queries map onto the teams table. */
export const TEAMS_LIST_TABLE: ListTable = {
  table: 'teams',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', name: 'name', total: 'total' },
  searchColumn: 'search',
  numberColumns: ['total'],
};

/**
 * Inserts a team and, for a team a user creates, the creator's confirmed membership, in
 * one transaction. Returns 'exists' when the id is taken.
 */
export async function insertTeam(db: Store, team: TeamRow, ownerMembership?: MembershipRow): Promise<'exists' | undefined> {
  const outcome = await uniqueOrExists(() =>
    inTransaction(db, async (trx) => {
      await trx.insertInto('teams').values(team).execute();
      if (ownerMembership) await trx.insertInto('memberships').values(ownerMembership).execute();
    }),
  );
  return outcome === 'exists' ? 'exists' : undefined;
}

export async function findTeam(db: Store, id: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export type TeamChanges = Partial<Pick<TeamRow, 'name' | 'prefs' | 'search'>> & Pick<TeamRow, 'updated_at'>;

/** The team as stored after the change; undefined when it does not exist. */
export async function updateTeam(db: Store, id: string, changes: TeamChanges): Promise<TeamRow | undefined> {
  const result = await db.updateTable('teams').set(changes).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findTeam(db, id);
}

/** Deletes a team; its memberships go with it by the foreign key's cascade. */
export async function deleteTeam(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('teams').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * One page of teams. With `memberOf`, only the teams that user has joined (a confirmed
 * membership); an open invitation does not list the team.
 */
export async function listTeamRows(
  db: Store,
  list: ParsedList,
  options: { total: boolean; search?: string; memberOf?: string },
): Promise<{ total: number; rows: TeamRow[] }> {
  let scoped = list;
  if (options.memberOf !== undefined) {
    const joined = await db
      .selectFrom('memberships')
      .select('team_id')
      .where('user_id', '=', options.memberOf)
      .where('confirmed', '=', 1)
      .execute();
    // An `equal` on $id with no values matches nothing, which is right for a user in no team.
    const onlyJoined = { kind: 'compare' as const, op: 'equal' as const, attribute: '$id', values: joined.map((row) => row.team_id) };
    scoped = { ...list, filters: [...list.filters, onlyJoined] };
  }
  return listRows<TeamRow>(db, TEAMS_LIST_TABLE, scoped, {
    total: options.total,
    ...(options.search ? { search: options.search } : {}),
  });
}
