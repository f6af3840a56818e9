import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import {
  deletePlatformRow,
  findPlatform,
  insertPlatform,
  listPlatformPage,
  PLATFORMS_LIST_TABLE,
  updatePlatformRow,
} from '../../data/platform/platforms.js';
import { findProject } from '../../data/platform/projects.js';
import type { PlatformRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { parseListQueries } from '../../core/queries.js';
import { queryAttributes } from '../../data/list-query.js';
import { defaultLimitOf, type ListOptions } from './queries-param.js';
import {
  PLATFORM_TARGET_FIELDS,
  toPlatformModel,
  type PlatformListModel,
  type PlatformModel,
  type PlatformType,
} from './platform-models.js';

export interface PlatformInput {
  projectId: string;
  type: PlatformType;
  name: string;
  /** The hostname of a web platform, or the bundle id, package name or app id of an app. */
  target: string;
}

const MAX_NAME = 128;
const MAX_IDENTIFIER = 256;
const MAX_HOSTNAME = 253;
/** One DNS label: letters, digits, hyphens and underscores, not starting or ending with a hyphen. */
const HOSTNAME_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * A web platform's hostname: no scheme, port or path; `*.` in front allows every subdomain
 * (not the domain itself), as Appwrite allows. Hostnames compare case-insensitively, so they
 * are kept in lower case, the form browsers send in `Origin`.
 */
export function normalizeHostname(hostname: string): string {
  const lower = hostname.trim().toLowerCase();
  const bare = lower.startsWith('*.') ? lower.slice(2) : lower;
  const valid = lower.length <= MAX_HOSTNAME && bare.split('.').every((label) => HOSTNAME_LABEL.test(label));
  if (!valid) {
    throw new AppError(
      'general_argument_invalid',
      'Invalid `hostname` param: Value must be a valid hostname without path, port and protocol.',
    );
  }
  return lower;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME) {
    throw new AppError('general_argument_invalid', `Invalid \`name\` param: between 1 and ${MAX_NAME} characters.`);
  }
  return trimmed;
}

/** The row columns for a platform's target: web platforms keep a hostname, apps an identifier. */
function targetColumns(type: PlatformType, target: string): Pick<PlatformRow, 'hostname' | 'identifier'> {
  if (type === 'web') return { hostname: normalizeHostname(target), identifier: null };
  const identifier = target.trim();
  if (identifier.length === 0 || identifier.length > MAX_IDENTIFIER) {
    throw new AppError(
      'general_argument_invalid',
      `Invalid \`${PLATFORM_TARGET_FIELDS[type]}\` param: between 1 and ${MAX_IDENTIFIER} characters.`,
    );
  }
  return { hostname: null, identifier };
}

export async function createPlatform(deps: ServiceDeps, input: PlatformInput & { platformId: string }): Promise<PlatformModel> {
  const id = resolveId(input.platformId);
  if (!isValidCustomId(id)) {
    throw new AppError(
      'general_argument_invalid',
      'Invalid `platformId` param: up to 36 characters of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special character.',
    );
  }
  const name = checkName(input.name);
  const target = targetColumns(input.type, input.target);
  if (!(await findProject(deps.db.platform, input.projectId))) throw new AppError('project_not_found');

  const now = nowDateTime();
  const row: PlatformRow = { id, project_id: input.projectId, type: input.type, name, ...target, created_at: now, updated_at: now };
  if (!(await insertPlatform(deps.db.platform, row))) throw new AppError('platform_already_exists');
  return toPlatformModel(row);
}

/** Updates a platform through the route of its own type; another type's route is refused. */
export async function updatePlatform(deps: ServiceDeps, input: PlatformInput & { platformId: string }): Promise<PlatformModel> {
  const name = checkName(input.name);
  const target = targetColumns(input.type, input.target);
  const existing = await findPlatform(deps.db.platform, input.projectId, input.platformId);
  if (!existing) throw new AppError('platform_not_found');
  if (existing.type !== input.type) throw new AppError('platform_method_unsupported');

  const changes = { name, ...target, updated_at: nowDateTime() };
  if (!(await updatePlatformRow(deps.db.platform, input.projectId, existing.id, existing.type, changes))) {
    throw new AppError('platform_not_found');
  }
  return toPlatformModel({ ...existing, ...changes });
}

export async function getPlatform(deps: ServiceDeps, projectId: string, platformId: string): Promise<PlatformModel> {
  const row = await findPlatform(deps.db.platform, projectId, platformId);
  if (!row) throw new AppError('platform_not_found');
  return toPlatformModel(row);
}

export async function deletePlatform(deps: ServiceDeps, projectId: string, platformId: string): Promise<void> {
  if (!(await deletePlatformRow(deps.db.platform, projectId, platformId))) throw new AppError('platform_not_found');
}

export async function listPlatforms(deps: ServiceDeps, projectId: string, options: ListOptions = {}): Promise<PlatformListModel> {
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
  const list = parseListQueries(options.queries ?? [], { attributes: queryAttributes(PLATFORMS_LIST_TABLE), ...defaultLimitOf(options) });
  const { total, rows } = await listPlatformPage(deps.db.platform, projectId, list, { total: options.total !== false });
  return { total, platforms: rows.map(toPlatformModel) };
}
