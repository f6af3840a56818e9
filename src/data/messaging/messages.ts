import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { ProjectTables } from '../tables.js';
import type { MessageRow } from './tables.js';
import { uniqueOrExists } from '../duplicates.js';

type Store = Kysely<ProjectTables>;

export const MESSAGES_LIST_TABLE: ListTable = {
  table: 'messaging_messages',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    providerType: 'provider_type',
    status: 'status',
    scheduledAt: 'scheduled_at',
    deliveredAt: 'delivered_at',
    deliveredTotal: 'delivered_total',
    topics: 'topics',
    users: 'users',
    targets: 'targets',
  },
  searchColumn: 'search',
  numberColumns: ['delivered_total'],
  arrayColumns: ['topics', 'users', 'targets'],
};

/** False when the id is taken. */
export async function insertMessage(db: Store, row: MessageRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('messaging_messages').values(row).execute())) !== 'exists';
}

export async function findMessage(db: Store, id: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messaging_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Messages waiting for their `scheduled_at`. */
export async function listScheduledMessageRows(db: Store): Promise<MessageRow[]> {
  return db.selectFrom('messaging_messages').selectAll().where('status', '=', 'scheduled').execute();
}

/**
 * Changes a message only while it is in one of `fromStatuses`, so two writers (an update
 * and the worker, or two workers) never both move it on. False when it was not.
 */
export async function updateMessageIf(db: Store, id: string, fromStatuses: readonly string[], changes: Partial<MessageRow>): Promise<boolean> {
  const result = await db
    .updateTable('messaging_messages')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', fromStatuses)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteMessage(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('messaging_messages').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listMessageRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }) {
  return listRows<MessageRow>(db, MESSAGES_LIST_TABLE, list, { total: options.total, ...(options.search ? { search: options.search } : {}) });
}
