import type { Caller } from '../../core/caller.js';
import { AppError } from '../../core/errors.js';
import { findTeam } from '../../data/project/teams.js';
import type { TeamRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';

/**
 * Members (role `team:ID`) read a team, its prefs and its memberships. Whoever acts for the
 * project may do everything, and is a member of nothing.
 */
export function isMember(caller: Caller, teamId: string): boolean {
  return caller.actsForProject || caller.roles.includes(`team:${teamId}`);
}

/** Owners (role `team:ID/owner`) rename, delete and manage the members of a team. */
export function isOwner(caller: Caller, teamId: string): boolean {
  return caller.actsForProject || caller.roles.includes(`team:${teamId}/owner`);
}

/** The team, as a caller who may read it sees it: to anyone else it does not exist. */
export async function requireVisibleTeam(deps: ServiceDeps, projectId: string, caller: Caller, teamId: string): Promise<TeamRow> {
  const team = await findTeam(deps.db.project(projectId), teamId);
  if (!team || !isMember(caller, teamId)) throw new AppError('team_not_found');
  return team;
}

/**
 * The team, for a change only its owners (or a server) may make. Others get 401 with Appwrite's
 * general wording unless the route words it itself (as inviting does).
 */
export async function requireOwnedTeam(deps: ServiceDeps, projectId: string, caller: Caller, teamId: string, refusal?: string): Promise<TeamRow> {
  const team = await requireVisibleTeam(deps, projectId, caller, teamId);
  if (!isOwner(caller, teamId)) throw new AppError('user_unauthorized', refusal);
  return team;
}
