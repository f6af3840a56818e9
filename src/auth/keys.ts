import { sha256 } from '../core/secrets.js';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { nowDateTime } from '../core/datetime.js';
import { AppError } from '../core/errors.js';
import { isApiKeyScope, type ApiKeyScope } from '../core/scopes.js';
import { findKeyBySecretHash, touchKey } from '../data/platform/keys.js';
import type { KeyAccess } from '../data/platform/project-access.js';
import type { AuthDeps } from './deps.js';

/** API keys: how a presented key is recognised, and the secret formats keys are made in. */

/** Standard keys read `standard_<secret>`; a bare secret is a standard key too. */
export const STANDARD_KEY_PREFIX = 'standard_';
/** Ephemeral keys read `ephemeral_<JWT>`; `dynamic_` is the older name for the same thing. */
export const EPHEMERAL_KEY_PREFIX = 'ephemeral_';
const EPHEMERAL_KEY_TYPES = new Set(['ephemeral', 'dynamic']);
/** Sets ephemeral-key JWTs apart from every other token signed with the server secret. */
export const EPHEMERAL_KEY_AUDIENCE = 'plinth:ephemeral-key';
/** How stale `accessedAt` may get before a use writes it again: one write per key per hour. */
const ACCESS_WRITE_INTERVAL_MS = 60 * 60 * 1000;

export interface AuthenticatedKey {
  id: string;
  scopes: ApiKeyScope[];
}

/** Keys are stored by the SHA-256 of their secret, never the secret itself. */
export function keySecretHash(secret: string): string {
  return sha256(secret);
}

/**
 * The secret hash a presented standard key is found by, so the request pipeline can read the key
 * in the statement that reads its project; undefined for ephemeral keys and unknown kinds.
 */
export function standardKeyHash(presented: string): string | undefined {
  const separator = presented.indexOf('_');
  if (separator === -1) return keySecretHash(STANDARD_KEY_PREFIX + presented);
  return presented.slice(0, separator) === 'standard' ? keySecretHash(presented) : undefined;
}

/**
 * Finds the key a request presents. Unknown or forged secrets give undefined (the caller stays
 * a guest, as Appwrite does); an expired key is an error, so its owner learns why.
 */
export async function authenticateKey(
  deps: AuthDeps,
  projectId: string,
  presented: string,
): Promise<AuthenticatedKey | undefined> {
  const separator = presented.indexOf('_');
  const type = separator === -1 ? 'standard' : presented.slice(0, separator);
  if (EPHEMERAL_KEY_TYPES.has(type)) return authenticateEphemeralKey(deps, projectId, presented.slice(separator + 1));
  const secretHash = standardKeyHash(presented);
  if (secretHash === undefined) return undefined;
  return acceptStandardKey(deps, await findKeyBySecretHash(deps.db.platform, projectId, secretHash));
}

/**
 * Checks the row found for a presented standard key (read fresh on every request, so a deleted
 * or expired key stops at once): undefined when there is none, an error when it has expired.
 */
export function acceptStandardKey(deps: AuthDeps, row: KeyAccess | undefined): AuthenticatedKey | undefined {
  if (!row) return undefined;
  if (row.expire !== null && Date.parse(row.expire) <= Date.now()) throw new AppError('project_key_expired');

  if (row.accessed_at === null || Date.now() - Date.parse(row.accessed_at) > ACCESS_WRITE_INTERVAL_MS) {
    // Bookkeeping only: the request does not wait for it, and a failure must not fail the request.
    touchKey(deps.db.platform, row.id, nowDateTime()).catch(() => {});
  }
  return { id: row.id, scopes: scopesOf(row.scopes) };
}

/** Parsed scope lists by their stored JSON, so a key's every request reuses one (shared: never change it). */
const parsedScopes = new Map<string, ApiKeyScope[]>();
const MAX_PARSED_SCOPES = 1000;

function scopesOf(stored: string): ApiKeyScope[] {
  let scopes = parsedScopes.get(stored);
  if (!scopes) {
    if (parsedScopes.size >= MAX_PARSED_SCOPES) parsedScopes.clear();
    scopes = Object.freeze((JSON.parse(stored) as string[]).filter(isApiKeyScope)) as ApiKeyScope[];
    parsedScopes.set(stored, scopes);
  }
  return scopes;
}

async function authenticateEphemeralKey(deps: AuthDeps, projectId: string, token: string): Promise<AuthenticatedKey | undefined> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, deps.secretKey, { algorithms: ['HS256'], audience: EPHEMERAL_KEY_AUDIENCE }));
  } catch (error) {
    // Only a genuine key of this project is reported as expired; anything else is unknown.
    if (error instanceof joseErrors.JWTExpired && error.payload.projectId === projectId && error.payload.aud === EPHEMERAL_KEY_AUDIENCE) {
      throw new AppError('api_key_expired');
    }
    return undefined;
  }
  if (payload.projectId !== projectId || !Array.isArray(payload.scopes) || typeof payload.exp !== 'number') return undefined;
  const scopes = payload.scopes.filter((scope): scope is ApiKeyScope => typeof scope === 'string' && isApiKeyScope(scope));
  return { id: typeof payload.jti === 'string' ? payload.jti : '', scopes };
}
