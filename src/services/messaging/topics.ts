import type { Kysely } from 'kysely';
import type { ProjectTables } from '../../data/tables.js';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import {
  countSubscribersByType,
  deleteTopic as deleteTopicRow,
  findTopic,
  insertTopic,
  listTopicRows,
  updateTopic as updateTopicRow,
} from '../../data/messaging/topics.js';
import type { TopicRow } from '../../data/messaging/tables.js';
import type { ServiceDeps } from '../deps.js';
import { commitWithEvents } from '../event-outbox.js';
import { messagingEvent } from './events.js';
import { toTopicModel, type TopicModel } from './models.js';

const ID_RULES =
  'Invalid `topicId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char';

const searchText = (id: string, name: string) => `${id} ${name}`.toLowerCase();

export async function requireTopic(deps: ServiceDeps, projectId: string, topicId: string): Promise<TopicRow> {
  const row = await findTopic(deps.db.project(projectId), topicId);
  if (!row) throw new AppError('topic_not_found');
  return row;
}

async function withTotals(store: Kysely<ProjectTables>, rows: TopicRow[]): Promise<TopicModel[]> {
  const totals = await countSubscribersByType(store, rows.map((row) => row.id));
  return rows.map((row) => toTopicModel(row, totals.get(row.id)));
}

export async function createTopic(deps: ServiceDeps, projectId: string, input: { topicId: string; name: string; subscribe?: string[] }) {
  const id = resolveId(input.topicId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', ID_RULES);
  const now = nowDateTime();
  const row: TopicRow = {
    id,
    name: input.name,
    subscribe: JSON.stringify(input.subscribe ?? []),
    search: searchText(id, input.name),
    created_at: now,
    updated_at: now,
  };
  const model = toTopicModel(row);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await insertTopic(trx, row))) throw new AppError('topic_already_exists');
    emit(messagingEvent(projectId, { levels: [['topics', id]], action: 'create', payload: model }));
  });
  return model;
}

export async function getTopic(deps: ServiceDeps, projectId: string, topicId: string): Promise<TopicModel> {
  const [model] = await withTotals(deps.db.project(projectId), [await requireTopic(deps, projectId, topicId)]);
  return model!;
}

export async function listTopics(deps: ServiceDeps, projectId: string, input: { queries: string[]; search: string; total: boolean }) {
  const list = parseListQueries(input.queries, { attributes: ['name'] });
  const page = await listTopicRows(deps.db.project(projectId), list, { total: input.total, search: input.search });
  return { total: page.total, topics: await withTotals(deps.db.project(projectId), page.rows) };
}

export async function updateTopic(deps: ServiceDeps, projectId: string, topicId: string, input: { name?: string; subscribe?: string[] }) {
  const row = await requireTopic(deps, projectId, topicId);
  const name = input.name ?? row.name;
  const changes = {
    name,
    subscribe: input.subscribe ? JSON.stringify(input.subscribe) : row.subscribe,
    search: searchText(topicId, name),
    updated_at: nowDateTime(),
  };
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    await updateTopicRow(trx, topicId, changes);
    const [model] = await withTotals(trx, [{ ...row, ...changes }]);
    emit(messagingEvent(projectId, { levels: [['topics', topicId]], action: 'update', payload: model }));
    return model!;
  });
}

export async function deleteTopic(deps: ServiceDeps, projectId: string, topicId: string): Promise<void> {
  const model = await getTopic(deps, projectId, topicId);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteTopicRow(trx, topicId))) throw new AppError('topic_not_found');
    emit(messagingEvent(projectId, { levels: [['topics', topicId]], action: 'delete', payload: model }));
  });
}
