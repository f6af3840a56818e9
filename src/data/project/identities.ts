import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { IdentityRow, ProjectTables } from '../tables.js';

type Store = Kysely<ProjectTables>;

/** How identity list queries map onto the table; `search` looks at the provider's email. */
export const IDENTITY_LIST: ListTable = {
  table: 'identities',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    userId: 'user_id',
    provider: 'provider',
    providerUid: 'provider_uid',
    providerEmail: 'provider_email',
    providerAccessTokenExpiry: 'provider_access_token_expiry',
  },
  searchColumn: 'provider_email',
};

export async function findIdentityByProviderUid(db: Store, provider: string, providerUid: string): Promise<IdentityRow | undefined> {
  return db.selectFrom('identities').selectAll().where('provider', '=', provider).where('provider_uid', '=', providerUid).executeTakeFirst();
}

/** Inserts an identity; false when (provider, providerUid) is already someone's. */
export async function insertIdentity(db: Store, row: IdentityRow): Promise<boolean> {
  const result = await db
    .insertInto('identities')
    .values(row)
    .onConflict((conflict) => conflict.columns(['provider', 'provider_uid']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export type IdentityTokens = Pick<
  IdentityRow,
  'provider_email' | 'provider_access_token' | 'provider_access_token_expiry' | 'provider_refresh_token' | 'updated_at'
>;

/** Stores the tokens of the latest sign-in with an identity. */
export async function updateIdentityTokens(db: Store, id: string, changes: IdentityTokens): Promise<void> {
  await db.updateTable('identities').set(changes).where('id', '=', id).execute();
}

/** One page of identities; `userId` limits it to one user's. */
export async function listIdentityRows(
  db: Store,
  list: ParsedList,
  options: { total: boolean; search?: string | undefined; userId?: string | undefined },
): Promise<{ total: number; rows: IdentityRow[] }> {
  return listRows<IdentityRow>(db, IDENTITY_LIST, list, {
    total: options.total,
    ...(options.search ? { search: options.search } : {}),
    ...(options.userId !== undefined ? { where: { user_id: options.userId } } : {}),
  });
}

/** Deletes an identity, of the given user when one is named; false when there was none. */
export async function deleteIdentityRow(db: Store, id: string, userId?: string): Promise<boolean> {
  let query = db.deleteFrom('identities').where('id', '=', id);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
