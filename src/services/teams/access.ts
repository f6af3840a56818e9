import { AppError } from '../../core/errors.js';
import { findTeam } from '../../data/project/teams.js';
import type { TeamRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';

/** Who is asking, as far as team permissions care; routes build it from the request context. */
export interface TeamCaller {
  /** API keys (servers) may do everything and are no member of anything. */
  isKey: boolean;
  /** The caller's roles: `team:ID` for each team joined, `team:ID/ROLE` per team role. */
  roles: readonly string[];
  /** The signed-in user, when there is one. */
  user?: UserRow;
  /** The session the request came with; accepting an invitation without one opens one. */
  sessionId?: string;
}

/** Members read a team, its prefs and its memberships. */
export function isMember(caller: TeamCaller, teamId: string): boolean {
  return caller.isKey || caller.roles.includes(`team:${teamId}`);
}

/** Owners rename, delete and manage the members of a team. */
export function isOwner(caller: TeamCaller, teamId: string): boolean {
  return caller.isKey || caller.roles.includes(`team:${teamId}/owner`);
}

/** The team, as a caller who may read it sees it: to anyone else it does not exist. */
export async function requireVisibleTeam(deps: ServiceDeps, projectId: string, caller: TeamCaller, teamId: string): Promise<TeamRow> {
  const team = await findTeam(deps.db.project(projectId), teamId);
  if (!team || !isMember(caller, teamId)) throw new AppError('team_not_found');
  return team;
}

/** The team, for a change only its owners (or a server) may make. */
export async function requireOwnedTeam(deps: ServiceDeps, projectId: string, caller: TeamCaller, teamId: string): Promise<TeamRow> {
  const team = await requireVisibleTeam(deps, projectId, caller, teamId);
  assertOwner(caller, teamId);
  return team;
}

export function assertOwner(caller: TeamCaller, teamId: string): void {
  if (!isOwner(caller, teamId)) throw new AppError('user_unauthorized', 'Only owners of the team may do this.');
}
