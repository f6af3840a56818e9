import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { SubscriberRow, TopicRow } from './tables.js';
import type { ProjectTables, TargetRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

type Store = Kysely<ProjectTables>;

export const TOPICS_LIST_TABLE: ListTable = {
  table: 'messaging_topics',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', name: 'name' },
  searchColumn: 'search',
};

export const SUBSCRIBERS_LIST_TABLE: ListTable = {
  table: 'messaging_subscribers',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    targetId: 'target_id',
    topicId: 'topic_id',
    userId: 'user_id',
    providerType: 'provider_type',
  },
  searchColumn: 'search',
};

/** False when the id is taken. */
export async function insertTopic(db: Store, row: TopicRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('messaging_topics').values(row).execute())) !== 'exists';
}

export async function findTopic(db: Store, id: string): Promise<TopicRow | undefined> {
  return db.selectFrom('messaging_topics').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateTopic(db: Store, id: string, changes: Partial<TopicRow>): Promise<void> {
  await db.updateTable('messaging_topics').set(changes).where('id', '=', id).execute();
}

/** Deletes a topic; its subscribers go with it by the foreign key's cascade. */
export async function deleteTopic(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('messaging_topics').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listTopicRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }) {
  return listRows<TopicRow>(db, TOPICS_LIST_TABLE, list, { total: options.total, ...(options.search ? { search: options.search } : {}) });
}

/** Subscribers per channel of each topic, counted from the subscribers themselves so they never drift. */
export async function countSubscribersByType(db: Store, topicIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const totals = new Map<string, Record<string, number>>();
  if (topicIds.length === 0) return totals;
  const rows = await db
    .selectFrom('messaging_subscribers')
    .select(['topic_id', 'provider_type'])
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('topic_id', 'in', topicIds)
    .groupBy(['topic_id', 'provider_type'])
    .execute();
  for (const row of rows) {
    const entry = totals.get(row.topic_id) ?? {};
    entry[row.provider_type] = Number(row.count);
    totals.set(row.topic_id, entry);
  }
  return totals;
}

export type SubscriberInsert = 'id' | 'target' | undefined;

/** Inserts a subscriber, or names the clash: its id, or the target already subscribed. */
export async function insertSubscriber(db: Store, row: SubscriberRow): Promise<SubscriberInsert> {
  const clash = async (trx: Store): Promise<SubscriberInsert> => {
    if (await trx.selectFrom('messaging_subscribers').select('id').where('id', '=', row.id).executeTakeFirst()) return 'id';
    const same = await trx
      .selectFrom('messaging_subscribers')
      .select('id')
      .where('topic_id', '=', row.topic_id)
      .where('target_id', '=', row.target_id)
      .executeTakeFirst();
    return same ? 'target' : undefined;
  };
  const insert = async (trx: Store): Promise<SubscriberInsert> => {
    const found = await clash(trx);
    if (found) return found;
    await trx.insertInto('messaging_subscribers').values(row).execute();
    return undefined;
  };
  // In the caller's transaction a racing key aborts it: the error goes up (see againIfDuplicate).
  if (db.isTransaction) return insert(db);
  const outcome = await uniqueOrExists(() => db.transaction().execute(insert));
  // A racing subscribe got in between the check and the insert: the check names it now.
  return outcome === 'exists' ? ((await clash(db)) ?? 'id') : outcome;
}

/** A subscriber of the topic; without a topic, of any topic (ids are unique across topics). */
export async function findSubscriber(db: Store, topicId: string | undefined, id: string): Promise<SubscriberRow | undefined> {
  let query = db.selectFrom('messaging_subscribers').selectAll().where('id', '=', id);
  if (topicId !== undefined) query = query.where('topic_id', '=', topicId);
  return query.executeTakeFirst();
}

export async function deleteSubscriber(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('messaging_subscribers').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listSubscriberRows(db: Store, topicId: string, list: ParsedList, options: { total: boolean; search?: string }) {
  return listRows<SubscriberRow>(db, SUBSCRIBERS_LIST_TABLE, list, {
    total: options.total,
    where: { topic_id: topicId },
    ...(options.search ? { search: options.search } : {}),
  });
}

export async function findTargetsByIds(db: Store, ids: readonly string[]): Promise<TargetRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('targets').selectAll().where('id', 'in', ids).execute();
}

export async function findUsersByIds(db: Store, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
}
