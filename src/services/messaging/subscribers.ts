import type { Kysely } from 'kysely';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import {
  deleteSubscriber as deleteSubscriberRow,
  findSubscriber,
  findTargetsByIds,
  findUsersByIds,
  insertSubscriber,
  listSubscriberRows,
} from '../../data/messaging/topics.js';
import type { SubscriberRow } from '../../data/messaging/tables.js';
import type { ServiceDeps } from '../deps.js';
import type { Caller } from '../../core/caller.js';
import { againIfDuplicate } from '../../data/duplicates.js';
import type { ProjectTables } from '../../data/tables.js';
import { commitWithEvents } from '../event-outbox.js';
import { messagingEvent } from './events.js';
import { toSubscriberModel, type SubscriberModel } from './models.js';
import { requireTopic } from './topics.js';

const ID_RULES =
  'Invalid `subscriberId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char';

async function toModels(store: Kysely<ProjectTables>, rows: SubscriberRow[]): Promise<SubscriberModel[]> {
  const targets = new Map((await findTargetsByIds(store, rows.map((row) => row.target_id))).map((target) => [target.id, target]));
  const users = new Map((await findUsersByIds(store, [...new Set(rows.map((row) => row.user_id))])).map((user) => [user.id, user.name]));
  return rows.map((row) => toSubscriberModel(row, targets.get(row.target_id), users.get(row.user_id) ?? ''));
}

/**
 * Subscribes a target to a topic. A server subscribes anyone's target; a user only their
 * own, and only to a topic whose `subscribe` roles include one of theirs.
 */
export async function createSubscriber(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller,
  input: { topicId: string; subscriberId: string; targetId: string },
): Promise<SubscriberModel> {
  const id = resolveId(input.subscriberId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', ID_RULES);
  const topic = await requireTopic(deps, projectId, input.topicId);
  const [target] = await findTargetsByIds(deps.db.project(projectId), [input.targetId]);
  if (!target || (!caller.actsForProject && target.user_id !== caller.userId)) throw new AppError('user_target_not_found');
  if (!caller.actsForProject) {
    const allowed = JSON.parse(topic.subscribe) as string[];
    if (!allowed.some((role) => caller.roles.includes(role))) throw new AppError('user_unauthorized');
  }
  const now = nowDateTime();
  const row: SubscriberRow = {
    id,
    topic_id: topic.id,
    target_id: target.id,
    user_id: target.user_id,
    provider_type: target.provider_type,
    search: `${id} ${target.id} ${target.user_id} ${target.provider_type}`.toLowerCase(),
    created_at: now,
    updated_at: now,
  };
  // A racing subscribe aborts the transaction on PostgreSQL: the second run's check names it.
  return againIfDuplicate(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      if (await insertSubscriber(trx, row)) throw new AppError('subscriber_already_exists');
      const [model] = await toModels(trx, [row]);
      emit(
        messagingEvent(projectId, {
          levels: [
            ['topics', topic.id],
            ['subscribers', id],
          ],
          action: 'create',
          payload: model,
          userId: row.user_id,
        }),
      );
      return model!;
    }),
  );
}

async function requireSubscriber(deps: ServiceDeps, projectId: string, topicId: string, subscriberId: string): Promise<SubscriberRow> {
  await requireTopic(deps, projectId, topicId);
  const row = await findSubscriber(deps.db.project(projectId), topicId, subscriberId);
  if (!row) throw new AppError('subscriber_not_found');
  return row;
}

export async function getSubscriber(deps: ServiceDeps, projectId: string, topicId: string, subscriberId: string): Promise<SubscriberModel> {
  const [model] = await toModels(deps.db.project(projectId), [await requireSubscriber(deps, projectId, topicId, subscriberId)]);
  return model!;
}

export async function listSubscribers(deps: ServiceDeps, projectId: string, topicId: string, input: { queries: string[]; search: string; total: boolean }) {
  await requireTopic(deps, projectId, topicId);
  const list = parseListQueries(input.queries, { attributes: ['targetId', 'topicId', 'userId', 'providerType'] });
  const page = await listSubscriberRows(deps.db.project(projectId), topicId, list, { total: input.total, search: input.search });
  return { total: page.total, subscribers: await toModels(deps.db.project(projectId), page.rows) };
}

/** That a subscriber exists in some topic, for its log. */
export async function requireAnySubscriber(deps: ServiceDeps, projectId: string, subscriberId: string): Promise<void> {
  if (!(await findSubscriber(deps.db.project(projectId), undefined, subscriberId))) throw new AppError('subscriber_not_found');
}

/** A server removes any subscriber; a user only their own (another's reads as not found). */
export async function deleteSubscriber(deps: ServiceDeps, projectId: string, caller: Caller, topicId: string, subscriberId: string): Promise<void> {
  const row = await requireSubscriber(deps, projectId, topicId, subscriberId);
  if (!caller.actsForProject && row.user_id !== caller.userId) throw new AppError('subscriber_not_found');
  const [model] = await toModels(deps.db.project(projectId), [row]);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteSubscriberRow(trx, subscriberId))) throw new AppError('subscriber_not_found');
    emit(
      messagingEvent(projectId, {
        levels: [
          ['topics', topicId],
          ['subscribers', subscriberId],
        ],
        action: 'delete',
        payload: model,
        userId: row.user_id,
      }),
    );
  });
}
