import { parseListQueries } from '../../core/queries.js';
import { MEMBERSHIPS_LIST_TABLE } from '../../data/project/memberships.js';
import { findTeamsByIds, listMembershipRows } from '../../data/project/user-lists.js';
import type { UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { deleteIdentity as deleteAccountIdentity, listIdentities as listAccountIdentities } from './identities.js';
import { toMembershipModel } from './admin-models.js';
import { listAuthActivity } from './auth-logs.js';

interface ListParams {
  queries: string[];
  search?: string | undefined;
  total: boolean;
}

/** A user's authentication activity. */
export async function listUserLogs(deps: ServiceDeps, projectId: string, userId: string, params: ListParams) {
  const page = await listAuthActivity(deps, projectId, userId, params.queries);
  return params.total ? page : { ...page, total: 0 };
}

export async function listUserMemberships(deps: ServiceDeps, projectId: string, user: UserRow, params: ListParams) {
  const list = parseListQueries(params.queries, { attributes: Object.keys(MEMBERSHIPS_LIST_TABLE.columns) });
  const store = deps.db.project(projectId);
  const page = await listMembershipRows(store, user.id, list, { total: params.total, ...(params.search ? { search: params.search } : {}) });
  const teams = new Map((await findTeamsByIds(store, [...new Set(page.rows.map((row) => row.team_id))])).map((team) => [team.id, team]));
  return { total: page.total, memberships: page.rows.map((row) => toMembershipModel(row, user, teams.get(row.team_id))) };
}

export async function listIdentities(deps: ServiceDeps, projectId: string, params: ListParams) {
  return listAccountIdentities(deps, projectId, { queries: params.queries, total: params.total, search: params.search });
}

export async function deleteIdentity(deps: ServiceDeps, projectId: string, identityId: string): Promise<void> {
  await deleteAccountIdentity(deps, projectId, identityId);
}
