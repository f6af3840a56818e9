import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId, uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { deleteTeam as deleteTeamRow, insertTeam, listTeamRows, updateTeam } from '../../data/project/teams.js';
import type { MembershipRow, TeamRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import type { Caller } from '../../core/caller.js';
import { requireOwnedTeam, requireVisibleTeam } from './access.js';
import { teamEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import { toTeamModel, type TeamModel } from './models.js';

/** The attributes `GET /teams` queries may name besides $id, $createdAt and $updatedAt. */
export const TEAM_QUERY_ATTRIBUTES = ['name', 'total'] as const;

const CUSTOM_ID_RULES =
  'Invalid `teamId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char';

export function teamSearchText(id: string, name: string): string {
  return `${id} ${name}`.toLowerCase();
}

/**
 * Creates a team. A user who creates one joins it at once as an owner (with any extra
 * roles asked for) and the team counts one member; a server creates an empty team.
 */
export async function createTeam(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller<UserRow>,
  input: { teamId: string; name: string; roles?: string[] },
): Promise<TeamModel> {
  const id = resolveId(input.teamId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', CUSTOM_ID_RULES);
  const now = nowDateTime();
  const creator = caller.actsForProject ? undefined : caller.user;
  const team: TeamRow = {
    id,
    name: input.name,
    total: creator ? 1 : 0,
    prefs: '{}',
    search: teamSearchText(id, input.name),
    created_at: now,
    updated_at: now,
  };
  let membership: MembershipRow | undefined;
  if (creator) {
    const roles = input.roles ?? ['owner'];
    // Whoever creates a team owns it, whatever other roles they ask for.
    if (!roles.includes('owner')) roles.push('owner');
    const membershipId = uniqueId();
    membership = {
      id: membershipId,
      team_id: id,
      user_id: creator.id,
      roles: JSON.stringify(roles),
      confirmed: 1,
      secret_hash: null,
      invited_at: now,
      joined_at: now,
      search: [membershipId, creator.id, creator.name, creator.email ?? ''].join(' ').toLowerCase(),
      created_at: now,
      updated_at: now,
    };
  }
  const model = toTeamModel(team);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if ((await insertTeam(trx, team, membership)) === 'exists') throw new AppError('team_already_exists');
    emit(teamEvent(projectId, id, { action: 'create', payload: model }));
  });
  return model;
}

export async function getTeam(deps: ServiceDeps, projectId: string, caller: Caller, teamId: string): Promise<TeamModel> {
  return toTeamModel(await requireVisibleTeam(deps, projectId, caller, teamId));
}

/** Servers list every team; a user lists the teams they have joined. */
export async function listTeams(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  input: { queries: string[]; search: string; total: boolean },
): Promise<{ total: number; teams: TeamModel[] }> {
  const list = parseListQueries(input.queries, { attributes: TEAM_QUERY_ATTRIBUTES });
  const memberOf = caller.actsForProject ? undefined : (caller.user?.id ?? '');
  const page = await listTeamRows(deps.db.project(projectId), list, {
    total: input.total,
    search: input.search,
    ...(memberOf !== undefined ? { memberOf } : {}),
  });
  return { total: page.total, teams: page.rows.map(toTeamModel) };
}

export async function updateTeamName(deps: ServiceDeps, projectId: string, caller: Caller, teamId: string, name: string): Promise<TeamModel> {
  await requireOwnedTeam(deps, projectId, caller, teamId);
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateTeam(trx, teamId, { name, search: teamSearchText(teamId, name), updated_at: nowDateTime() });
    if (!updated) throw new AppError('team_not_found');
    const model = toTeamModel(updated);
    emit(teamEvent(projectId, teamId, { action: 'update', payload: model }));
    return model;
  });
}

export async function getTeamPrefs(deps: ServiceDeps, projectId: string, caller: Caller, teamId: string): Promise<Record<string, unknown>> {
  return toTeamModel(await requireVisibleTeam(deps, projectId, caller, teamId)).prefs;
}

/** Replaces the team's prefs; the event carries the team, the answer only the prefs. */
export async function updateTeamPrefs(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  teamId: string,
  prefs: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  await requireOwnedTeam(deps, projectId, caller, teamId);
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateTeam(trx, teamId, { prefs: JSON.stringify(prefs), updated_at: nowDateTime() });
    if (!updated) throw new AppError('team_not_found');
    const model = toTeamModel(updated);
    emit(teamEvent(projectId, teamId, { action: 'update', attribute: 'prefs', payload: model }));
    return model.prefs;
  });
}

/** Deletes a team and every membership of it; members lose the team's roles on their next request. */
export async function deleteTeam(deps: ServiceDeps, projectId: string, caller: Caller, teamId: string): Promise<void> {
  const team = await requireOwnedTeam(deps, projectId, caller, teamId);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteTeamRow(trx, teamId))) throw new AppError('team_not_found');
    emit(teamEvent(projectId, teamId, { action: 'delete', payload: toTeamModel(team) }));
  });
}
