import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { ProjectTables } from '../tables.js';
import type { ProviderRow } from './tables.js';
import { uniqueOrExists } from '../duplicates.js';

type Store = Kysely<ProjectTables>;

export const PROVIDERS_LIST_TABLE: ListTable = {
  table: 'messaging_providers',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', name: 'name', provider: 'provider', type: 'type', enabled: 'enabled' },
  searchColumn: 'search',
  booleanColumns: ['enabled'],
};

/** False when the id is taken. */
export async function insertProvider(db: Store, row: ProviderRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('messaging_providers').values(row).execute())) !== 'exists';
}

export async function findProvider(db: Store, id: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('messaging_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The enabled providers of one channel, oldest first: the first is the channel's default. */
export async function listEnabledProviders(db: Store, type: string): Promise<ProviderRow[]> {
  return db
    .selectFrom('messaging_providers')
    .selectAll()
    .where('type', '=', type)
    .where('enabled', '=', 1)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function updateProvider(db: Store, id: string, changes: Partial<ProviderRow>): Promise<void> {
  await db.updateTable('messaging_providers').set(changes).where('id', '=', id).execute();
}

export async function deleteProvider(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('messaging_providers').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listProviderRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }) {
  return listRows<ProviderRow>(db, PROVIDERS_LIST_TABLE, list, { total: options.total, ...(options.search ? { search: options.search } : {}) });
}
