import { formatDateTime, nowDateTime, parseDateTime } from '../../core/datetime.js';
import { parseDateTimeInput } from '../../core/datetime-input.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { findBucket } from '../../data/storage/buckets.js';
import { findFile } from '../../data/storage/files.js';
import {
  deleteFileToken,
  findFileToken,
  insertFileToken,
  listFileTokenRows,
  updateFileToken,
  type FileTokenRow,
} from '../../data/storage/file-tokens.js';
import type { ServiceDeps } from '../deps.js';
import { signFileToken, verifyFileToken } from './token-secret.js';

export type Model = Record<string, unknown>;

/** Appwrite updates `accessedAt` at most once a day. */
const ACCESS_RECORD_MS = 24 * 60 * 60 * 1000;

function resourceIdOf(bucketId: string, fileId: string): string {
  return `${bucketId}:${fileId}`;
}

async function toTokenModel(deps: ServiceDeps, projectId: string, token: FileTokenRow): Promise<Model> {
  const resourceId = resourceIdOf(token.bucket_id, token.file_id);
  return {
    $id: token.id,
    $createdAt: token.created_at,
    resourceId,
    resourceType: 'files',
    expire: token.expire ?? '',
    secret: await signFileToken(deps.secretKey, projectId, { tokenId: token.id, resourceId, issuedAt: token.created_at, expire: token.expire }),
    accessedAt: token.accessed_at ?? '',
  };
}

/** The latest expiry Appwrite's validator takes: the last day of 9999 at midnight. */
const LATEST_EXPIRY = Date.UTC(9999, 11, 31);

/**
 * An expiry as stored: normalised, or null for a token that never expires. As in Appwrite,
 * it takes any datetime form documents take (`2030-01-01`, `… America/New_York`) and must
 * lie in the future.
 */
function expiryOf(expire: string | null | undefined): string | null {
  if (expire === undefined || expire === null || expire === '') return null;
  const date = parseDateTimeInput(expire);
  if (!date || date.getTime() < Date.now() || date.getTime() > LATEST_EXPIRY) {
    throw new AppError(
      'general_argument_invalid',
      'Invalid `expire` param: Value must be valid date in the future and between 0000-01-01 00:00:00 and 9999-12-31 00:00:00.',
    );
  }
  return formatDateTime(date);
}

async function requireFile(deps: ServiceDeps, projectId: string, bucketId: string, fileId: string): Promise<void> {
  const store = deps.db.project(projectId);
  if (!(await findBucket(store, bucketId))) throw new AppError('storage_bucket_not_found');
  if (!(await findFile(store, bucketId, fileId))) throw new AppError('storage_file_not_found');
}

export async function createFileToken(
  deps: ServiceDeps,
  projectId: string,
  input: { bucketId: string; fileId: string; expire?: string | null | undefined },
): Promise<Model> {
  await requireFile(deps, projectId, input.bucketId, input.fileId);
  const now = nowDateTime();
  const token: FileTokenRow = {
    id: uniqueId(),
    bucket_id: input.bucketId,
    file_id: input.fileId,
    expire: expiryOf(input.expire),
    accessed_at: null,
    created_at: now,
    updated_at: now,
  };
  await insertFileToken(deps.db.project(projectId), token);
  return toTokenModel(deps, projectId, token);
}

export async function listFileTokens(
  deps: ServiceDeps,
  projectId: string,
  input: { bucketId: string; fileId: string; queries: string[]; total: boolean },
): Promise<{ total: number; tokens: Model[] }> {
  await requireFile(deps, projectId, input.bucketId, input.fileId);
  const list = parseListQueries(input.queries, { attributes: ['expire', 'accessedAt'] });
  const page = await listFileTokenRows(deps.db.project(projectId), input.bucketId, input.fileId, list, { total: input.total });
  return { total: page.total, tokens: await Promise.all(page.rows.map((row) => toTokenModel(deps, projectId, row))) };
}

export async function getFileToken(deps: ServiceDeps, projectId: string, tokenId: string): Promise<Model> {
  const token = await findFileToken(deps.db.project(projectId), tokenId);
  if (!token) throw new AppError('token_not_found');
  return toTokenModel(deps, projectId, token);
}

export async function updateFileTokenExpiry(deps: ServiceDeps, projectId: string, tokenId: string, expire: string | null | undefined): Promise<Model> {
  const token = await updateFileToken(deps.db.project(projectId), tokenId, { expire: expiryOf(expire), updated_at: nowDateTime() });
  if (!token) throw new AppError('token_not_found');
  return toTokenModel(deps, projectId, token);
}

export async function removeFileToken(deps: ServiceDeps, projectId: string, tokenId: string): Promise<void> {
  if (!(await deleteFileToken(deps.db.project(projectId), tokenId))) throw new AppError('token_not_found');
}

/**
 * Whether the token secret opens this one file now: a valid signature, a token that still
 * exists, not expired, for exactly this bucket and file. A token that does not open it
 * grants nothing; the caller's own permissions still apply.
 */
export async function fileTokenOpens(deps: ServiceDeps, projectId: string, secret: string, ids: { bucketId: string; fileId: string }): Promise<boolean> {
  const claims = await verifyFileToken(deps.secretKey, projectId, secret);
  const resourceId = resourceIdOf(ids.bucketId, ids.fileId);
  if (!claims || claims.resourceId !== resourceId) return false;
  const store = deps.db.project(projectId);
  const token = await findFileToken(store, claims.tokenId);
  if (!token || token.bucket_id !== ids.bucketId || token.file_id !== ids.fileId) return false;
  const now = Date.now();
  if (token.expire !== null && (parseDateTime(token.expire)?.getTime() ?? 0) <= now) return false;
  const accessed = token.accessed_at ? (parseDateTime(token.accessed_at)?.getTime() ?? 0) : 0;
  if (now - accessed > ACCESS_RECORD_MS) await updateFileToken(store, token.id, { accessed_at: nowDateTime() });
  return true;
}
