import { randomBytes } from 'node:crypto';
import { keySecretHash } from '../../auth/keys.js';
import { formatDateTime, nowDateTime, parseDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { countDevKeyRows, deleteDevKeyRow, findDevKeyRow, insertDevKey, listDevKeyRows, updateDevKeyRow } from '../../data/platform/dev-keys.js';
import { findProject } from '../../data/platform/projects.js';
import type { DevKeyRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import type { DevKeyModel } from './models.js';

/**
 * Dev keys: sent as `X-Appwrite-Dev-Key` by apps under development, they lift the abuse limits
 * and the origin check for their project until they expire. They prove nothing about who calls,
 * so they grant no scope: the request is still a guest's, a user's or an API key's.
 */

export interface DevKeyInput {
  name: string;
  expire: string;
}

export function toDevKeyModel(row: DevKeyRow, secret = ''): DevKeyModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    expire: row.expire,
    secret,
    accessedAt: row.accessed_at ?? '',
    sdks: JSON.parse(row.sdks) as string[],
  };
}

function checkFields(input: DevKeyInput): Pick<DevKeyRow, 'name' | 'expire'> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 128) {
    throw new AppError('general_argument_invalid', 'Invalid `name` param: Value must be a valid string and at least 1 chars and no longer than 128 chars');
  }
  const expire = parseDateTime(input.expire);
  if (!expire) throw new AppError('general_argument_invalid', 'Invalid `expire` param: Value must be valid date in ISO 8601 format.');
  return { name, expire: formatDateTime(expire) };
}

async function assertProject(deps: ServiceDeps, projectId: string): Promise<void> {
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
}

/** Creates a dev key and returns its secret, the only time it can be read. */
export async function createDevKey(deps: ServiceDeps, projectId: string, input: DevKeyInput): Promise<DevKeyModel> {
  await assertProject(deps, projectId);
  const secret = randomBytes(64).toString('hex');
  const now = nowDateTime();
  const row: DevKeyRow = {
    id: uniqueId(),
    project_id: projectId,
    ...checkFields(input),
    secret_hash: keySecretHash(secret),
    accessed_at: null,
    sdks: '[]',
    created_at: now,
    updated_at: now,
  };
  await insertDevKey(deps.db.platform, row);
  return toDevKeyModel(row, secret);
}

export async function listDevKeys(
  deps: ServiceDeps,
  projectId: string,
  page: { limit?: number; offset: number },
): Promise<{ total: number; devKeys: DevKeyModel[] }> {
  await assertProject(deps, projectId);
  const [rows, total] = await Promise.all([listDevKeyRows(deps.db.platform, projectId, page), countDevKeyRows(deps.db.platform, projectId)]);
  return { total, devKeys: rows.map((row) => toDevKeyModel(row)) };
}

export async function getDevKey(deps: ServiceDeps, projectId: string, keyId: string): Promise<DevKeyModel> {
  const row = await findDevKeyRow(deps.db.platform, projectId, keyId);
  if (!row) throw new AppError('key_not_found');
  return toDevKeyModel(row);
}

export async function updateDevKey(deps: ServiceDeps, projectId: string, keyId: string, input: DevKeyInput): Promise<DevKeyModel> {
  const row = await updateDevKeyRow(deps.db.platform, projectId, keyId, { ...checkFields(input), updated_at: nowDateTime() });
  if (!row) throw new AppError('key_not_found');
  return toDevKeyModel(row);
}

/** The key stops working at once: every request looks its key up again. */
export async function deleteDevKey(deps: ServiceDeps, projectId: string, keyId: string): Promise<void> {
  if (!(await deleteDevKeyRow(deps.db.platform, projectId, keyId))) throw new AppError('key_not_found');
}
