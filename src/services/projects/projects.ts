import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { findProject, insertProject, listProjectRows } from '../../data/platform/projects.js';
import type { ProjectRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { toProjectModel, type ProjectModel } from './models.js';

/** The project a request gets when it names none: it owns no data and grants only guest scopes. */
export const CONSOLE_PROJECT_ID = 'console';

export async function createProject(deps: ServiceDeps, input: { id: string; name: string }): Promise<ProjectModel> {
  const id = resolveId(input.id);
  if (!isValidCustomId(id)) {
    throw new AppError(
      'general_argument_invalid',
      'Invalid `projectId` param: up to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special character.',
    );
  }
  if (id === CONSOLE_PROJECT_ID) throw new AppError('project_reserved_project');
  const name = input.name.trim();
  if (name.length === 0 || name.length > 128) {
    throw new AppError('general_argument_invalid', 'Invalid `name` param: between 1 and 128 characters.');
  }
  if (await findProject(deps.db.platform, id)) throw new AppError('project_already_exists');

  const now = nowDateTime();
  const row: ProjectRow = { id, name, labels: '[]', created_at: now, updated_at: now };
  // The store first: a project row never points at a store that does not exist.
  await deps.db.createProjectStore(id);
  await insertProject(deps.db.platform, row);
  return toProjectModel(row);
}

export async function listProjects(deps: ServiceDeps): Promise<ProjectModel[]> {
  return (await listProjectRows(deps.db.platform)).map(toProjectModel);
}

export async function findProjectById(deps: ServiceDeps, id: string): Promise<ProjectModel | undefined> {
  const row = await findProject(deps.db.platform, id);
  return row && toProjectModel(row);
}
