import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { parseListQueries, type Filter, type ParsedList } from '../../core/queries.js';
import {
  deleteMembership as deleteMembershipRow,
  findMemberProfiles,
  findMembership,
  listMembershipRows,
  updateMembershipRoles,
} from '../../data/project/memberships.js';
import { findTeam } from '../../data/project/teams.js';
import type { MembershipRow, ProjectTables, TeamRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import type { Caller } from '../../core/caller.js';
import { isOwner, requireVisibleTeam } from './access.js';
import { assertOwnerMayLeave, assertOwnerMayStepDown } from './organization-owners.js';
import { membershipEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import type { Kysely } from 'kysely';
import { ALL_DETAILS, toMembershipModel, type MemberDetails, type MembershipModel } from './models.js';
import { memberDetailsFor, memberDetailsForUsers } from './privacy.js';

/** The attributes membership queries may name besides $id, $createdAt and $updatedAt. */
export const MEMBERSHIP_QUERY_ATTRIBUTES = ['userId', 'teamId', 'invited', 'joined', 'confirm', 'roles'] as const;

/** The membership as the API shows it, its user's details read fresh. */
export async function membershipModel(
  store: Kysely<ProjectTables>,
  row: MembershipRow,
  team: TeamRow,
  shown: MemberDetails = ALL_DETAILS,
): Promise<MembershipModel> {
  const profiles = await findMemberProfiles(store, [row.user_id]);
  return toMembershipModel(row, team.name, profiles.get(row.user_id), shown);
}

/** A membership of the given team; one of another team is reported as a mismatch. */
async function requireMembershipOf(deps: ServiceDeps, projectId: string, teamId: string, membershipId: string): Promise<MembershipRow> {
  const membership = await findMembership(deps.db.project(projectId), membershipId);
  if (!membership) throw new AppError('membership_not_found');
  if (membership.team_id !== teamId) throw new AppError('team_membership_mismatch');
  return membership;
}

export async function listMemberships(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  teamId: string,
  input: { queries: string[]; search: string; total: boolean },
): Promise<{ total: number; memberships: MembershipModel[] }> {
  const team = await requireVisibleTeam(deps, projectId, caller, teamId);
  const list = matchWholeRoles(parseListQueries(input.queries, { attributes: MEMBERSHIP_QUERY_ATTRIBUTES }));
  const store = deps.db.project(projectId);
  const page = await listMembershipRows(store, teamId, list, { total: input.total, search: input.search });
  const [profiles, shown] = await Promise.all([
    findMemberProfiles(store, page.rows.map((row) => row.user_id)),
    memberDetailsFor(deps, projectId, caller),
  ]);
  return {
    total: page.total,
    memberships: page.rows.map((row) => toMembershipModel(row, team.name, profiles.get(row.user_id), shown)),
  };
}

export async function getMembership(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  teamId: string,
  membershipId: string,
): Promise<MembershipModel> {
  const team = await requireVisibleTeam(deps, projectId, caller, teamId);
  const membership = await findMembership(deps.db.project(projectId), membershipId);
  if (!membership || membership.team_id !== teamId) throw new AppError('membership_not_found');
  return membershipModel(deps.db.project(projectId), membership, team, await memberDetailsFor(deps, projectId, caller));
}

/** Replaces a member's team roles; they hold the new roles from their next request on. */
export async function updateMembership(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  teamId: string,
  membershipId: string,
  roles: string[],
): Promise<MembershipModel> {
  const team = await requireVisibleTeam(deps, projectId, caller, teamId);
  const membership = await requireMembershipOf(deps, projectId, teamId, membershipId);
  await assertOwnerMayStepDown(deps, projectId, caller, membership, roles);
  if (!isOwner(caller, teamId)) throw new AppError('user_unauthorized', 'User is not allowed to modify roles');
  const forUsers = await memberDetailsForUsers(deps, projectId);
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateMembershipRoles(trx, membershipId, JSON.stringify(roles), nowDateTime());
    if (!updated) throw new AppError('membership_not_found');
    const model = await membershipModel(trx, updated, team);
    emit(membershipEvent(projectId, model, { action: 'update' }, forUsers));
    return model;
  });
}

/**
 * Removes a membership: owners remove anyone, a user removes their own (leaving the team,
 * or declining an invitation). A confirmed membership leaves the team's count.
 */
export async function deleteMembership(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  teamId: string,
  membershipId: string,
): Promise<void> {
  const store = deps.db.project(projectId);
  const membership = await findMembership(store, membershipId);
  if (!membership) throw new AppError('team_invite_not_found');
  const own = caller.user !== undefined && !caller.actsForProject && membership.user_id === caller.user.id;
  const team = own ? await findTeam(store, teamId) : await requireVisibleTeam(deps, projectId, caller, teamId);
  if (!team) throw new AppError('team_not_found');
  if (membership.team_id !== teamId) throw new AppError('team_membership_mismatch');
  await assertOwnerMayLeave(deps, projectId, caller, membership);
  if (!own && !isOwner(caller, teamId)) throw new AppError('user_unauthorized');
  const model = await membershipModel(store, membership, team);
  const forUsers = await memberDetailsForUsers(deps, projectId);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteMembershipRow(trx, membershipId))) throw new AppError('team_invite_not_found');
    emit(membershipEvent(projectId, model, { action: 'delete' }, forUsers));
  });
}

/**
 * Roles are stored as a JSON array in text, so `contains('roles', ['admin'])` looks for
 * `"admin"` with its quotes: a whole role, never a part of a longer one.
 */
function matchWholeRoles(list: ParsedList): ParsedList {
  const rewrite = (filter: Filter): Filter => {
    if (filter.kind === 'logical') return { ...filter, filters: filter.filters.map(rewrite) };
    if (filter.kind === 'text' && filter.attribute === 'roles' && filter.op === 'contains') {
      return { ...filter, values: filter.values.map((role) => JSON.stringify(role)) };
    }
    return filter;
  };
  return { ...list, filters: list.filters.map(rewrite) };
}
