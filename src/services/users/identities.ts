import { decryptValue } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { parseListQueries } from '../../core/queries.js';
import { deleteIdentityRow, IDENTITY_LIST, listIdentityRows } from '../../data/project/identities.js';
import type { IdentityRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';

/** Attributes the identity list queries may name. */
const IDENTITY_QUERY_ATTRIBUTES = Object.keys(IDENTITY_LIST.columns);

/** The identity as the API shows it: provider tokens decrypted; one that no longer decrypts shows as empty. */
export function toIdentityModel(deps: ServiceDeps, row: IdentityRow) {
  const reveal = (stored: string) => {
    if (stored === '') return '';
    try {
      return decryptValue(deps.secretKey, stored);
    } catch {
      return '';
    }
  };
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    userId: row.user_id,
    provider: row.provider,
    providerUid: row.provider_uid,
    providerEmail: row.provider_email,
    providerAccessToken: reveal(row.provider_access_token),
    providerAccessTokenExpiry: row.provider_access_token_expiry,
    providerRefreshToken: reveal(row.provider_refresh_token),
  };
}
export type IdentityModel = ReturnType<typeof toIdentityModel>;

/** A page of identities: one user's (the account API) or everyone's (the users API). */
export async function listIdentities(
  deps: ServiceDeps,
  projectId: string,
  input: { queries: readonly string[]; total: boolean; search?: string | undefined; userId?: string },
): Promise<{ total: number; identities: IdentityModel[] }> {
  const list = parseListQueries(input.queries, { attributes: IDENTITY_QUERY_ATTRIBUTES });
  const { total, rows } = await listIdentityRows(deps.db.project(projectId), list, {
    total: input.total,
    search: input.search,
    ...(input.userId !== undefined ? { userId: input.userId } : {}),
  });
  return { total, identities: rows.map((row) => toIdentityModel(deps, row)) };
}

/** Unlinks a provider identity; `userId` limits it to that user's identities. */
export async function deleteIdentity(deps: ServiceDeps, projectId: string, identityId: string, userId?: string): Promise<void> {
  const deleted = await deleteIdentityRow(deps.db.project(projectId), identityId, userId);
  if (!deleted) throw new AppError('user_identity_not_found');
}
