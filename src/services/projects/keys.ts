import { createHash, randomBytes } from 'node:crypto';
import { formatDateTime, nowDateTime, parseDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { apiKeyScopes, isApiKeyScope, type ApiKeyScope } from '../../core/scopes.js';
import { findKeyBySecretHash, insertKey, touchKey } from '../../data/platform/keys.js';
import { findProject } from '../../data/platform/projects.js';
import type { KeyRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { toKeyModel, type KeyModel } from './models.js';

/** Standard keys read `standard_<secret>`; a bare secret is a standard key too. */
const STANDARD_KEY_PREFIX = 'standard_';
/** How stale `accessedAt` may get before a use writes it again: one write per key per hour. */
const ACCESS_WRITE_INTERVAL_MS = 60 * 60 * 1000;

export interface CreateKeyInput {
  projectId: string;
  name: string;
  scopes: string[];
  /** ISO datetime; undefined for a key that never expires. */
  expire?: string;
}

export interface AuthenticatedKey {
  id: string;
  scopes: ApiKeyScope[];
}

/** `all` expands to every API-key scope. */
export function parseScopeList(list: string): string[] {
  const scopes = list.split(',').map((scope) => scope.trim()).filter(Boolean);
  return scopes.includes('all') ? [...apiKeyScopes] : scopes;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a key and returns its secret, the only time it can be read. */
export async function createKey(deps: ServiceDeps, input: CreateKeyInput): Promise<KeyModel> {
  if (!(await findProject(deps.db.platform, input.projectId))) throw new AppError('project_not_found');
  const unknown = input.scopes.filter((scope) => !isApiKeyScope(scope));
  if (unknown.length > 0) {
    throw new AppError('general_argument_invalid', `Invalid \`scopes\` param: unknown scopes ${unknown.join(', ')}.`);
  }
  let expire: string | null = null;
  if (input.expire !== undefined) {
    const date = parseDateTime(input.expire);
    if (!date) throw new AppError('general_argument_invalid', 'Invalid `expire` param: expected an ISO 8601 date.');
    expire = formatDateTime(date);
  }
  const name = input.name.trim();
  if (name.length === 0 || name.length > 128) {
    throw new AppError('general_argument_invalid', 'Invalid `name` param: between 1 and 128 characters.');
  }

  const secret = STANDARD_KEY_PREFIX + randomBytes(64).toString('hex');
  const now = nowDateTime();
  const row: KeyRow = {
    id: uniqueId(),
    project_id: input.projectId,
    name,
    scopes: JSON.stringify([...new Set(input.scopes)]),
    expire,
    secret_hash: hashSecret(secret),
    accessed_at: null,
    sdks: '[]',
    created_at: now,
    updated_at: now,
  };
  await insertKey(deps.db.platform, row);
  return toKeyModel(row, secret);
}

/**
 * Finds the key a request presents. Unknown secrets give undefined (the caller stays a
 * guest, as Appwrite does); an expired key is an error, so its owner learns why.
 */
export async function authenticateKey(
  deps: ServiceDeps,
  projectId: string,
  presented: string,
): Promise<AuthenticatedKey | undefined> {
  const secret = presented.includes('_') ? presented : STANDARD_KEY_PREFIX + presented;
  if (!secret.startsWith(STANDARD_KEY_PREFIX)) return undefined;
  const row = await findKeyBySecretHash(deps.db.platform, projectId, hashSecret(secret));
  if (!row) return undefined;
  if (row.expire !== null && Date.parse(row.expire) <= Date.now()) throw new AppError('project_key_expired');

  if (row.accessed_at === null || Date.now() - Date.parse(row.accessed_at) > ACCESS_WRITE_INTERVAL_MS) {
    // Bookkeeping only: the request does not wait for it, and a failure must not fail the request.
    touchKey(deps.db.platform, row.id, nowDateTime()).catch(() => {});
  }
  return { id: row.id, scopes: (JSON.parse(row.scopes) as string[]).filter(isApiKeyScope) };
}
