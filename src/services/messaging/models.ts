import type { MessageRow, ProviderRow, SubscriberRow, TopicRow } from '../../data/messaging/tables.js';
import type { TargetRow } from '../../data/tables.js';
import { toTargetModel } from '../users/index.js';
import { specOf } from './provider-specs.js';

/** What a set secret reads as: its presence shows, its value never does. */
export const SECRET_MASK = '********';

export function toProviderModel(row: ProviderRow, credentials: Record<string, unknown>) {
  const secrets = new Set(specOf(row.provider)?.secrets ?? []);
  const shown = Object.fromEntries(
    Object.entries(credentials).map(([key, value]) => [key, secrets.has(key) && value !== '' && value !== null && value !== undefined ? SECRET_MASK : value]),
  );
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    provider: row.provider,
    enabled: row.enabled === 1,
    type: row.type,
    credentials: shown,
    options: JSON.parse(row.options) as Record<string, unknown>,
  };
}
export type ProviderModel = ReturnType<typeof toProviderModel>;

export function toTopicModel(row: TopicRow, totals: Record<string, number> = {}) {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    emailTotal: totals.email ?? 0,
    smsTotal: totals.sms ?? 0,
    pushTotal: totals.push ?? 0,
    subscribe: JSON.parse(row.subscribe) as string[],
  };
}
export type TopicModel = ReturnType<typeof toTopicModel>;

export function toSubscriberModel(row: SubscriberRow, target: TargetRow | undefined, userName: string) {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    targetId: row.target_id,
    target: target ? toTargetModel(target) : {},
    userId: row.user_id,
    userName,
    topicId: row.topic_id,
    providerType: row.provider_type,
  };
}
export type SubscriberModel = ReturnType<typeof toSubscriberModel>;

export function toMessageModel(row: MessageRow) {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    providerType: row.provider_type,
    topics: JSON.parse(row.topics) as string[],
    users: JSON.parse(row.users) as string[],
    targets: JSON.parse(row.targets) as string[],
    ...(row.scheduled_at ? { scheduledAt: row.scheduled_at } : {}),
    ...(row.delivered_at ? { deliveredAt: row.delivered_at } : {}),
    deliveryErrors: JSON.parse(row.delivery_errors) as string[],
    deliveredTotal: row.delivered_total,
    data: JSON.parse(row.data) as Record<string, unknown>,
    status: row.status,
  };
}
export type MessageModel = ReturnType<typeof toMessageModel>;
