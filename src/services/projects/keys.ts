import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';
import { EPHEMERAL_KEY_AUDIENCE, EPHEMERAL_KEY_PREFIX, keySecretHash, STANDARD_KEY_PREFIX } from '../../auth/keys.js';
import { formatDateTime, nowDateTime, parseDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId, uniqueId } from '../../core/ids.js';
import { apiKeyScopes, isApiKeyScope, type ApiKeyScope } from '../../core/scopes.js';
import { deleteKeyRow, findKeyRow, insertKey, KEYS_LIST_TABLE, listKeyPage, updateKeyRow } from '../../data/platform/keys.js';
import { queryAttributes } from '../../data/list-query.js';
import { findProject } from '../../data/platform/projects.js';
import type { KeyRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { toKeyModel, type KeyModel } from './models.js';
import { parseQueriesParam, type ListInput } from './queries-param.js';

/** Appwrite's limit on an ephemeral key's life, in seconds. */
export const EPHEMERAL_KEY_MAX_DURATION = 3600;

export interface CreateKeyInput {
  projectId: string;
  /** A custom id or `unique()`; a generated id when undefined. */
  keyId?: string;
  name: string;
  scopes: string[];
  /** ISO datetime; undefined or null for a key that never expires. */
  expire?: string | null;
  /** The scopes of the key asking, when a key asks; see `assertGrantable`. */
  grantable?: ReadonlySet<string>;
}

export interface UpdateKeyInput {
  name: string;
  scopes: string[];
  expire?: string | null;
  grantable?: ReadonlySet<string>;
}

/** `all` expands to every API-key scope. */
export function parseScopeList(list: string): string[] {
  const scopes = list.split(',').map((scope) => scope.trim()).filter(Boolean);
  return scopes.includes('all') ? [...apiKeyScopes] : scopes;
}

/** The checks shared by creation and update; the CLI reaches these without the HTTP edge. */
function checkKeyFields(input: UpdateKeyInput): Pick<KeyRow, 'name' | 'scopes' | 'expire'> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 128) {
    throw new AppError('general_argument_invalid', 'Invalid `name` param: Value must be a valid string and at least 1 chars and no longer than 128 chars');
  }
  const scopes = checkScopes(input.scopes);
  assertGrantable(scopes, input.grantable);
  return { name, scopes: JSON.stringify(scopes), expire: checkExpire(input.expire) };
}

/**
 * A key that manages keys hands on only scopes it holds itself, or `keys.write` alone would
 * be every scope. Without `grantable` the operator asks (the CLI), who may grant anything.
 */
function assertGrantable(scopes: readonly string[], grantable: ReadonlySet<string> | undefined): void {
  if (!grantable) return;
  const missing = scopes.filter((scope) => !grantable.has(scope));
  if (missing.length > 0) {
    throw new AppError('general_unauthorized_scope', `A key can only grant scopes it holds itself; missing scopes (${JSON.stringify(missing)})`);
  }
}

function checkScopes(scopes: string[]): ApiKeyScope[] {
  const unknown = scopes.filter((scope) => !isApiKeyScope(scope));
  if (unknown.length > 0) {
    throw new AppError('general_argument_invalid', `Invalid \`scopes\` param: unknown scopes ${unknown.join(', ')}.`);
  }
  if (scopes.length > 100) throw new AppError('general_argument_invalid', 'Invalid `scopes` param: at most 100 scopes.');
  return [...new Set(scopes as ApiKeyScope[])];
}

function checkExpire(expire: string | null | undefined): string | null {
  if (expire === undefined || expire === null || expire === '') return null;
  const date = parseDateTime(expire);
  if (!date) throw new AppError('general_argument_invalid', 'Invalid `expire` param: Value must be valid date in ISO 8601 format.');
  return formatDateTime(date);
}

async function assertProject(deps: ServiceDeps, projectId: string): Promise<void> {
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
}

/** Creates a key and returns its secret, the only time it can be read. */
export async function createKey(deps: ServiceDeps, input: CreateKeyInput): Promise<KeyModel> {
  // Administrators reach the console project by signing in; a key for it would bypass that.
  if (input.projectId === CONSOLE_PROJECT_ID) throw new AppError('project_reserved_project', 'The console project has no API keys: administrators sign in.');
  await assertProject(deps, input.projectId);
  const id = input.keyId === undefined ? uniqueId() : resolveId(input.keyId);
  if (!isValidCustomId(id)) {
    throw new AppError(
      'general_argument_invalid',
      'Invalid `keyId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char',
    );
  }
  const fields = checkKeyFields(input);
  const secret = STANDARD_KEY_PREFIX + randomBytes(64).toString('hex');
  const now = nowDateTime();
  const row: KeyRow = {
    id,
    project_id: input.projectId,
    ...fields,
    secret_hash: keySecretHash(secret),
    accessed_at: null,
    sdks: '[]',
    created_at: now,
    updated_at: now,
  };
  if (!(await insertKey(deps.db.platform, row))) throw new AppError('key_already_exists');
  return toKeyModel(row, secret);
}

export async function listKeys(deps: ServiceDeps, projectId: string, input: ListInput): Promise<{ total: number; keys: KeyModel[] }> {
  const list = parseQueriesParam(input.queries, { attributes: queryAttributes(KEYS_LIST_TABLE) });
  const { total, rows } = await listKeyPage(deps.db.platform, projectId, list, { total: input.total });
  return { total, keys: rows.map((row) => toKeyModel(row)) };
}

export async function getKey(deps: ServiceDeps, projectId: string, keyId: string): Promise<KeyModel> {
  const row = await findKeyRow(deps.db.platform, projectId, keyId);
  if (!row) throw new AppError('key_not_found');
  return toKeyModel(row);
}

/** Replaces name, scopes and expiry; an absent expiry makes the key never expire, as in Appwrite. */
export async function updateKey(deps: ServiceDeps, projectId: string, keyId: string, input: UpdateKeyInput): Promise<KeyModel> {
  const fields = checkKeyFields(input);
  const row = await updateKeyRow(deps.db.platform, projectId, keyId, { ...fields, updated_at: nowDateTime() });
  if (!row) throw new AppError('key_not_found');
  return toKeyModel(row);
}

/** The key stops working at once: every request looks its key up again. */
export async function deleteKey(deps: ServiceDeps, projectId: string, keyId: string): Promise<void> {
  if (!(await deleteKeyRow(deps.db.platform, projectId, keyId))) throw new AppError('key_not_found');
}

/**
 * A short-lived key nothing stores: a JWT signed with the server secret naming the project and
 * scopes. It lives at least `durationSeconds` (the expiry is rounded up to a whole second).
 */
export async function createEphemeralKey(
  deps: ServiceDeps,
  projectId: string,
  input: { scopes: string[]; durationSeconds: number; grantable?: ReadonlySet<string> },
): Promise<KeyModel> {
  await assertProject(deps, projectId);
  const scopes = checkScopes(input.scopes);
  assertGrantable(scopes, input.grantable);
  const now = Date.now();
  const exp = Math.ceil((now + input.durationSeconds * 1000) / 1000);
  const id = uniqueId();
  const token = await new SignJWT({ projectId, scopes })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(EPHEMERAL_KEY_AUDIENCE)
    .setJti(id)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(exp)
    .sign(deps.secretKey);
  const created = formatDateTime(new Date(now));
  return {
    $id: id,
    $createdAt: created,
    $updatedAt: created,
    name: '',
    expire: formatDateTime(new Date(exp * 1000)),
    scopes,
    secret: EPHEMERAL_KEY_PREFIX + token,
    accessedAt: '',
    sdks: [],
  };
}
