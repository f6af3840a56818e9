import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { parseListQueries, type Filter, type ListOrder } from '../../core/queries.js';
import { findProject, listProjectRowsOfTeams, renameProject, updateProjectTeam } from '../../data/platform/projects.js';
import type { ProjectRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { publishProjectEvent } from './events.js';
import type { ProjectModel } from './models.js';
import type { ProjectDetails } from './project-details.js';
import { buildProjectModel, checkProjectName, createProject, getProject, writeProjectDetails } from './projects.js';

/** What the console's project lists may filter and order on, besides `$id` and the dates. */
const PROJECT_QUERY_ATTRIBUTES = ['name', 'teamId'] as const;

export interface ProjectListInput {
  /** The organizations whose projects the caller sees. */
  teamIds: readonly string[];
  queries: string[];
  search: string;
  total: boolean;
}

/**
 * The projects of the caller's organizations, with the console's queries (`equal(teamId)`,
 * `orderDesc($id)`, paging) and search. An administrator belongs to a few organizations with a few
 * projects each, so the list is filtered and ordered in memory.
 */
export async function listOrganizationProjects(deps: ServiceDeps, input: ProjectListInput): Promise<{ total: number; projects: ProjectModel[] }> {
  const list = parseListQueries(input.queries, { attributes: PROJECT_QUERY_ATTRIBUTES });
  const term = input.search.trim().toLowerCase();
  let rows = (await listProjectRowsOfTeams(deps.db.platform, input.teamIds)).filter(
    (row) => list.filters.every((filter) => matches(row, filter)) && (term === '' || `${row.id} ${row.name}`.toLowerCase().includes(term)),
  );
  if (list.orders.length > 0) rows = [...rows].sort((a, b) => compareRows(a, b, list.orders));
  const total = input.total ? rows.length : 0;
  const cursor = list.cursor;
  if (cursor) {
    const at = rows.findIndex((row) => row.id === cursor.id);
    if (at < 0) throw new AppError('general_cursor_not_found');
    rows = cursor.direction === 'after' ? rows.slice(at + 1) : rows.slice(0, at);
  }
  // Before a cursor, the page is the one just before it: counted from the cursor backwards.
  const end = cursor?.direction === 'before' ? rows.length - list.offset : list.offset + list.limit;
  const start = cursor?.direction === 'before' ? end - list.limit : list.offset;
  rows = rows.slice(Math.max(0, start), Math.max(0, end));
  return { total, projects: await Promise.all(rows.map((row) => buildProjectModel(deps, row))) };
}

/** A project made in an organization, answered with its whole model. */
export async function createOrganizationProject(
  deps: ServiceDeps,
  input: { projectId: string; name: string; teamId: string; details: Partial<ProjectDetails> },
): Promise<ProjectModel> {
  const created = await createProject(deps, { id: input.projectId, name: input.name, teamId: input.teamId, details: input.details });
  return getProject(deps, created.$id);
}

/** Renames a project and replaces the details given; others keep their value. */
export async function updateProjectDetails(deps: ServiceDeps, projectId: string, input: { name: string; details: Partial<ProjectDetails> }): Promise<ProjectModel> {
  const name = checkProjectName(input.name);
  if (!(await renameProject(deps.db.platform, projectId, name, nowDateTime()))) throw new AppError('project_not_found');
  await writeProjectDetails(deps, projectId, input.details);
  return getProject(deps, projectId);
}

/**
 * Moves a project to another organization; the route has checked the caller belongs to both.
 * The event tells every node, whose realtime connections in admin mode prove their access again.
 */
export async function moveProject(deps: ServiceDeps, projectId: string, teamId: string): Promise<ProjectModel> {
  const row = await updateProjectTeam(deps.db.platform, projectId, teamId, nowDateTime());
  if (!row) throw new AppError('project_not_found');
  const project = await buildProjectModel(deps, row);
  await publishProjectEvent(deps, project, { action: 'update', attribute: 'team' });
  return project;
}

/** The organization a project belongs to; undefined for no project. */
export async function findProjectOrganization(deps: ServiceDeps, projectId: string): Promise<string | undefined> {
  return (await findProject(deps.db.platform, projectId))?.team_id ?? undefined;
}

function valueOf(row: ProjectRow, attribute: string): string {
  switch (attribute) {
    case '$id':
      return row.id;
    case '$createdAt':
      return row.created_at;
    case '$updatedAt':
      return row.updated_at;
    case 'teamId':
      return row.team_id ?? '';
    default:
      return row.name;
  }
}

function matches(row: ProjectRow, filter: Filter): boolean {
  if (filter.kind === 'compare' && (filter.op === 'equal' || filter.op === 'notEqual')) {
    const found = filter.values.includes(valueOf(row, filter.attribute));
    return filter.op === 'equal' ? found : !found;
  }
  if (filter.kind === 'text' && filter.op === 'startsWith') return valueOf(row, filter.attribute).startsWith(filter.values[0] ?? '') !== filter.negate;
  throw new AppError('general_query_invalid', 'Invalid query: only equal, notEqual and startsWith filters are supported on projects');
}

function compareRows(a: ProjectRow, b: ProjectRow, orders: readonly ListOrder[]): number {
  for (const order of orders) {
    const left = valueOf(a, order.attribute);
    const right = valueOf(b, order.attribute);
    if (left !== right) return (left < right ? -1 : 1) * (order.direction === 'asc' ? 1 : -1);
  }
  return 0;
}
