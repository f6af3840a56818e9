import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { listKeyRows } from '../../data/platform/keys.js';
import { listMockPhoneRows } from '../../data/platform/mock-phones.js';
import { listPlatformRows } from '../../data/platform/platforms.js';
import {
  deleteProjectRow,
  findProject,
  insertProject,
  listProjectRows,
  updateProjectLabels as writeProjectLabels,
} from '../../data/platform/projects.js';
import { readProjectSettings, writeProjectSetting } from '../../data/platform/settings.js';
import { listDevKeyRows } from '../../data/platform/dev-keys.js';
import { NEW_PROJECT_POLICIES } from '../../core/policy-settings.js';
import type { ProjectRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { AUTH_METHOD_IDS, PROTOCOL_IDS, SERVICE_IDS } from '../../auth/switches.js';
import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';
import { toSwitchLists } from './switch-models.js';
import { listProjectWebhooks, type WebhookModel } from '../webhooks/index.js';
import { toDevKeyModel } from './dev-keys.js';
import { detailSetting, PROJECT_DETAIL_FIELDS, type ProjectDetails } from './project-details.js';
import { toFullProjectModel, toProjectSummary, type ProjectModel, type ProjectSummary } from './models.js';

export interface CreateProjectInput {
  id: string;
  name: string;
  /** The organization (a team of the console project) it belongs to; none when absent. */
  teamId?: string;
  details?: Partial<ProjectDetails>;
}

export async function createProject(deps: ServiceDeps, input: CreateProjectInput): Promise<ProjectSummary> {
  const id = resolveId(input.id);
  if (!isValidCustomId(id)) {
    throw new AppError(
      'general_argument_invalid',
      'Invalid `projectId` param: up to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special character.',
    );
  }
  if (id === CONSOLE_PROJECT_ID) throw new AppError('project_reserved_project');
  const name = checkProjectName(input.name);
  if (await findProject(deps.db.platform, id)) throw new AppError('project_already_exists');
  
  const now = nowDateTime();
  const row: ProjectRow = { id, name, labels: '[]', team_id: input.teamId ?? null, created_at: now, updated_at: now };
  // The store first: a project row never points at a store that does not exist.
  await deps.db.createProjectStore(id);
  // Two creations of one id at once: the loser's row is refused by the key.
  if (!(await insertProject(deps.db.platform, row))) throw new AppError('project_already_exists');
  for (const [setting, value] of NEW_PROJECT_POLICIES) await writeProjectSetting(deps.db.platform, id, setting, value);
  if (input.details) await writeProjectDetails(deps, id, input.details);
  return toProjectSummary(row);
}

export function checkProjectName(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > 128) {
    throw new AppError('general_argument_invalid', 'Invalid `name` param: between 1 and 128 characters.');
  }
  return name;
}

/** Stores the given details; fields left out keep their value. */
export async function writeProjectDetails(deps: ServiceDeps, projectId: string, details: Partial<ProjectDetails>): Promise<void> {
  for (const field of PROJECT_DETAIL_FIELDS) {
    const value = details[field];
    if (value !== undefined) await writeProjectSetting(deps.db.platform, projectId, detailSetting(field), value);
  }
}

export async function listProjects(deps: ServiceDeps): Promise<ProjectSummary[]> {
  // The console project is built in: it holds the administrators, not an app.
  return (await listProjectRows(deps.db.platform)).filter((row) => row.id !== CONSOLE_PROJECT_ID).map(toProjectSummary);
}

/** The whole `project` model: the row, its keys, platforms, mock numbers and switches. */
export async function getProject(deps: ServiceDeps, projectId: string): Promise<ProjectModel> {
  const row = await findProject(deps.db.platform, projectId);
  if (!row) throw new AppError('project_not_found');
  return buildProjectModel(deps, row);
}

/** Replaces the labels, dropping repeats; the route has checked count, length and characters. */
export async function updateProjectLabels(deps: ServiceDeps, projectId: string, labels: string[]): Promise<ProjectModel> {
  const unique = [...new Set(labels)];
  const row = await writeProjectLabels(deps.db.platform, projectId, JSON.stringify(unique), nowDateTime());
  if (!row) throw new AppError('project_not_found');
  return buildProjectModel(deps, row);
}

/**
 * Deletes a project: the row first, so that it is gone (and its keys refused) at once; keys,
 * platforms, settings, variables and mock phones follow by cascade. Then its store and files.
 */
export async function deleteProject(deps: ServiceDeps, projectId: string): Promise<void> {
  if (projectId === CONSOLE_PROJECT_ID) throw new AppError('project_not_found');
  if (!(await deleteProjectRow(deps.db.platform, projectId))) throw new AppError('project_not_found');
  await deps.db.dropProjectStore(projectId);
  // Every object of a project's buckets lives under its id, on disk or in S3 alike.
  await deps.files.deletePrefix(`${projectId}/`);
}

/** A webhook's password is for those who may read webhooks, not for every reader of the project. */
function withoutPassword(webhook: WebhookModel): WebhookModel {
  return { ...webhook, authPassword: '' };
}

export async function buildProjectModel(deps: ServiceDeps, project: ProjectRow): Promise<ProjectModel> {
  const db = deps.db.platform;
  const [keys, devKeys, platforms, mockPhones, settings, webhooks] = await Promise.all([
    listKeyRows(db, project.id),
    listDevKeyRows(db, project.id, { offset: 0 }),
    listPlatformRows(db, project.id),
    listMockPhoneRows(db, project.id),
    readProjectSettings(db, project.id),
    listProjectWebhooks(deps, project.id),
  ]);
  const switchLists = toSwitchLists(settings, { services: SERVICE_IDS, protocols: PROTOCOL_IDS, authMethods: AUTH_METHOD_IDS });
  return toFullProjectModel({ project, keys, devKeys: devKeys.map((row) => toDevKeyModel(row)), platforms, mockPhones, settings, switchLists, webhooks: webhooks.map(withoutPassword) });
}
