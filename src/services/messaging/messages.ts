import { formatDateTime, nowDateTime, parseDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { deleteMessage as deleteMessageRow, findMessage, insertMessage, listMessageRows, updateMessageIf } from '../../data/messaging/messages.js';
import type { MessageRow } from '../../data/messaging/tables.js';
import { findTargetsByIds } from '../../data/messaging/topics.js';
import type { ServiceDeps } from '../deps.js';
import { pushImageUrl } from '../storage/index.js';
import { toTargetModel } from '../users/index.js';
import { enqueueDelivery } from './delivery-job.js';
import { commitWithEvents } from '../event-outbox.js';
import { messagingEvent } from './events.js';
import { toMessageModel, type MessageModel } from './models.js';
import type { Channel } from './provider-specs.js';

/** Who a message goes to, and how it is sent; absent fields keep their value on update. */
export interface MessageInput {
  topics?: string[];
  users?: string[];
  targets?: string[];
  draft?: boolean;
  scheduledAt?: string | null;
  /** The channel's content: subject, content, cc … for email; title, body … for push. */
  data: Record<string, unknown>;
}

const ID_RULES =
  'Invalid `messageId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char';
const NOT_OF_TYPE = { email: 'message_target_not_email', sms: 'message_target_not_sms', push: 'message_target_not_push' } as const;

/** A schedule must lie ahead; stored in the API's datetime format. */
function futureSchedule(value: string): string {
  const date = parseDateTime(value);
  if (!date || date.getTime() <= Date.now()) {
    throw new AppError('general_argument_invalid', 'Invalid `scheduledAt` param: Value must be valid date in the future.');
  }
  return formatDateTime(date);
}

/** Every target named (directly, or as cc/bcc) must exist and be of the message's channel. */
async function checkTargets(deps: ServiceDeps, projectId: string, channel: Channel, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const found = await findTargetsByIds(deps.db.project(projectId), unique);
  if (found.length !== unique.length) throw new AppError('user_target_not_found');
  if (found.some((target) => target.provider_type !== channel)) throw new AppError(NOT_OF_TYPE[channel]);
}

function namedTargets(data: Record<string, unknown>, targets: readonly string[]): string[] {
  return [...targets, ...((data.cc as string[] | undefined) ?? []), ...((data.bcc as string[] | undefined) ?? [])];
}

function searchText(id: string, channel: string, data: Record<string, unknown>): string {
  const words = [data.subject, data.title, data.content, data.body].filter((value) => typeof value === 'string');
  return [id, channel, ...words].join(' ').toLowerCase().slice(0, 2048);
}

/**
 * A push image named `bucketId:fileId` becomes a signed URL of the file, kept beside its ids,
 * that the push service can fetch until 15 days after the send time (the schedule, or now).
 */
async function withPushImage(
  deps: ServiceDeps,
  projectId: string,
  channel: Channel,
  data: Record<string, unknown>,
  scheduledAt: string | null,
): Promise<Record<string, unknown>> {
  if (channel !== 'push' || typeof data.image !== 'string') return data;
  // Undefined drops it from the stored data, also over an earlier image on update.
  if (data.image === '') return { ...data, image: undefined };
  const [bucketId = '', fileId = ''] = data.image.split(':');
  const sendAt = (scheduledAt ? parseDateTime(scheduledAt) : undefined) ?? new Date();
  return { ...data, image: { bucketId, fileId, url: await pushImageUrl(deps, projectId, bucketId, fileId, sendAt) } };
}

function statusOf(draft: boolean, scheduledAt: string | null): MessageRow['status'] {
  if (draft) return 'draft';
  return scheduledAt ? 'scheduled' : 'processing';
}

export async function createMessage(deps: ServiceDeps, projectId: string, channel: Channel, input: MessageInput & { messageId: string }): Promise<MessageModel> {
  const id = resolveId(input.messageId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', ID_RULES);
  const topics = input.topics ?? [];
  const users = input.users ?? [];
  const targets = input.targets ?? [];
  const draft = input.draft === true;
  if (!draft && topics.length + users.length + targets.length === 0) throw new AppError('message_missing_target');
  const scheduledAt = input.scheduledAt ? futureSchedule(input.scheduledAt) : null;
  await checkTargets(deps, projectId, channel, namedTargets(input.data, targets));
  const data = await withPushImage(deps, projectId, channel, input.data, scheduledAt);
  const now = nowDateTime();
  const row: MessageRow = {
    id,
    provider_type: channel,
    topics: JSON.stringify(topics),
    users: JSON.stringify(users),
    targets: JSON.stringify(targets),
    data: JSON.stringify(data),
    status: statusOf(draft, scheduledAt),
    scheduled_at: scheduledAt,
    delivered_at: null,
    delivery_errors: '[]',
    delivered_total: 0,
    search: searchText(id, channel, data),
    created_at: now,
    updated_at: now,
  };
  const model = toMessageModel(row);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await insertMessage(trx, row))) throw new AppError('message_already_exists');
    emit(messagingEvent(projectId, { levels: [['messages', id]], action: 'create', payload: model }));
  });
  if (row.status !== 'draft') await enqueueDelivery(deps, projectId, row);
  return model;
}

async function requireMessage(deps: ServiceDeps, projectId: string, messageId: string): Promise<MessageRow> {
  const row = await findMessage(deps.db.project(projectId), messageId);
  if (!row) throw new AppError('message_not_found');
  return row;
}

/**
 * Changes a draft or scheduled message. Leaving draft without a date sends it now; with
 * one it is scheduled. A message on its way, sent or failed can no longer change.
 */
export async function updateMessage(deps: ServiceDeps, projectId: string, channel: Channel, messageId: string, input: MessageInput): Promise<MessageModel> {
  const row = await requireMessage(deps, projectId, messageId);
  if (row.provider_type !== channel) throw new AppError('message_not_found');
  if (row.status === 'processing') throw new AppError('message_already_processing');
  if (row.status === 'sent') throw new AppError('message_already_sent');
  if (row.status === 'failed') throw new AppError('message_already_failed');
  if (row.status === 'scheduled' && row.scheduled_at && Date.parse(row.scheduled_at) <= Date.now()) throw new AppError('message_already_scheduled');

  const scheduledAt = input.scheduledAt === undefined ? row.scheduled_at : input.scheduledAt ? futureSchedule(input.scheduledAt) : null;
  const data = { ...(JSON.parse(row.data) as Record<string, unknown>), ...(await withPushImage(deps, projectId, channel, input.data, scheduledAt)) };
  const topics = input.topics ?? (JSON.parse(row.topics) as string[]);
  const users = input.users ?? (JSON.parse(row.users) as string[]);
  const targets = input.targets ?? (JSON.parse(row.targets) as string[]);
  let status = row.status;
  if (input.draft !== undefined || input.scheduledAt !== undefined) {
    status = statusOf(input.draft ?? row.status === 'draft', scheduledAt);
  }
  if (status === 'scheduled' && !scheduledAt) throw new AppError('message_missing_schedule');
  if (status !== 'draft' && topics.length + users.length + targets.length === 0) throw new AppError('message_missing_target');
  await checkTargets(deps, projectId, channel, namedTargets(data, targets));

  const changes: Partial<MessageRow> = {
    topics: JSON.stringify(topics),
    users: JSON.stringify(users),
    targets: JSON.stringify(targets),
    data: JSON.stringify(data),
    status,
    scheduled_at: status === 'processing' ? null : scheduledAt,
    search: searchText(messageId, channel, data),
    updated_at: nowDateTime(),
  };
  // Only from the state read above: a worker that moved it on meanwhile wins.
  const updated = { ...row, ...changes };
  const model = toMessageModel(updated);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await updateMessageIf(trx, messageId, [row.status], changes))) throw new AppError('message_already_processing');
    emit(messagingEvent(projectId, { levels: [['messages', messageId]], action: 'update', payload: model }));
  });
  // Queued once the change committed, so the worker reads it and its events follow this one.
  if (status !== 'draft' && (status !== row.status || updated.scheduled_at !== row.scheduled_at)) await enqueueDelivery(deps, projectId, updated);
  return model;
}

export async function getMessage(deps: ServiceDeps, projectId: string, messageId: string): Promise<MessageModel> {
  return toMessageModel(await requireMessage(deps, projectId, messageId));
}

export async function listMessages(deps: ServiceDeps, projectId: string, input: { queries: string[]; search: string; total: boolean }) {
  const list = parseListQueries(input.queries, {
    attributes: ['providerType', 'status', 'scheduledAt', 'deliveredAt', 'deliveredTotal', 'topics', 'users', 'targets'],
  });
  const page = await listMessageRows(deps.db.project(projectId), list, { total: input.total, search: input.search });
  return { total: page.total, messages: page.rows.map(toMessageModel) };
}

/** The targets a message names directly. */
export async function listMessageTargets(deps: ServiceDeps, projectId: string, messageId: string) {
  const row = await requireMessage(deps, projectId, messageId);
  const targets = await findTargetsByIds(deps.db.project(projectId), JSON.parse(row.targets) as string[]);
  return { total: targets.length, targets: targets.map(toTargetModel) };
}

/** Deletes a message; a pending delivery job then finds nothing to send. Appwrite names no event for it. */
export async function deleteMessage(deps: ServiceDeps, projectId: string, messageId: string): Promise<void> {
  if (!(await deleteMessageRow(deps.db.project(projectId), messageId))) throw new AppError('message_not_found');
}
