import { nowDateTime } from '../../core/datetime.js';
import { findMessage, updateMessageIf } from '../../data/messaging/messages.js';
import { claimRecipients, deliverySummary, hasDeliveries, markTargetsExpired, recipientPage, recordDeliveries, type Recipient } from '../../data/messaging/recipients.js';
import type { MessageRow } from '../../data/messaging/tables.js';
import { EXPIRED_TOKEN, type MessageSender, type SendResult } from '../../infra/messaging/sender.js';
import { createSender } from '../../infra/messaging/senders.js';
import type { ServiceDeps } from '../deps.js';
import type { DeliveryJob } from './delivery-job.js';
import { commitWithEvents } from '../event-outbox.js';
import { messagingEvent } from './events.js';
import { toMessageModel } from './models.js';
import { messageContent, type MessageContent } from './outgoing.js';
import { enabledProviders, type ProviderSecrets } from './providers.js';
import { DEFAULT_MESSAGING_SETTINGS, type MessagingSettings } from './settings.js';

/** Errors worth another try: the provider is busy or throttling, or the connection broke, not refusing. */
const PASSING = /throttl|rate exceeded|rate limit|too many requests|429|quota|service unavailable|503|timed out|timeout|temporarily|fetch failed|ECONNRESET|socket hang up/i;
const ERRORS_KEPT = 100;

interface Route {
  sender: MessageSender;
  targets: Recipient[];
}

/**
 * Delivers one queued message. Safe to run again for the same message: a message already
 * sent or failed is left alone, and recipients an earlier run recorded are skipped. Those it
 * had handed to a provider without an answer yet (its batches in flight when it died) are
 * sent again: at least once, never lost. `stop` aborts when this run no longer holds the job:
 * it starts no further batch and leaves the message for the run that holds it.
 */
export async function deliverMessage(deps: ServiceDeps, projectId: string, job: DeliveryJob, stop?: AbortSignal): Promise<void> {
  const store = deps.db.project(projectId);
  const row = await findMessage(store, job.messageId);
  if (!row) return;
  if (row.status === 'scheduled') {
    // A job of a schedule that moved, or of a message put back to draft, has nothing to do.
    if (row.scheduled_at !== job.scheduledAt) return;
    if (!(await updateMessageIf(store, row.id, ['scheduled'], { status: 'processing', updated_at: nowDateTime() }))) return;
  } else if (row.status !== 'processing') {
    return;
  }
  const settings = deps.messaging ?? DEFAULT_MESSAGING_SETTINGS;
  const providers = await enabledProviders(deps, projectId, row.provider_type);
  if (providers.length === 0) return finish(deps, projectId, row, { delivered: 0, errors: ['No enabled provider found.'] });

  let content: MessageContent;
  try {
    content = await messageContent(deps, projectId, row.provider_type, JSON.parse(row.data) as Record<string, unknown>);
  } catch (error) {
    return finish(deps, projectId, row, { delivered: 0, errors: [`Failed sending to targets with error: ${messageOf(error)}`] });
  }
  const senders = new Map<string, MessageSender>();
  const senderOf = (provider: ProviderSecrets) => {
    let sender = senders.get(provider.row.id);
    if (!sender) {
      sender = createSender({ provider: provider.row.provider, credentials: provider.credentials, options: provider.options, baseUrls: settings.baseUrls, allowPrivateUrls: settings.allowPrivateUrls });
      if (!sender) throw new Error(`Provider ${provider.row.provider} cannot send here.`);
      senders.set(provider.row.id, sender);
    }
    return sender;
  };
  const byId = new Map(providers.map((provider) => [provider.row.id, provider]));
  const audience = {
    providerType: row.provider_type,
    topics: JSON.parse(row.topics) as string[],
    users: JSON.parse(row.users) as string[],
    targets: JSON.parse(row.targets) as string[],
  };
  const errors: string[] = [];
  const messageId = row.id;
  const dialect = deps.db.dialect;
  // Only a run after one that died can meet claims already made; a first run just inserts its own.
  const resumed = await hasDeliveries(store, messageId);
  /**
   * The message's batches, page by page, claimed as they are reached. Every sending slot pulls
   * the next one as soon as it is free, so no page waits for the slowest batch of the one before.
   */
  async function* batchesToSend(): AsyncGenerator<Route> {
    let after = '';
    for (;;) {
      const page = await recipientPage(store, audience, after, settings.pageSize);
      if (page.length === 0) return;
      after = page[page.length - 1]!.id;
      const fresh = await claimRecipients(store, dialect, messageId, page.map((target) => target.id), nowDateTime(), resumed);
      const groups = new Map<string, Recipient[]>();
      for (const target of page) {
        if (!fresh.has(target.id)) continue;
        // A target's own provider when it names an enabled one, else the channel's default.
        const provider = (target.provider_id && byId.get(target.provider_id)) || providers[0]!;
        const group = groups.get(provider.row.id);
        if (group) group.push(target);
        else groups.set(provider.row.id, [target]);
      }
      for (const [providerId, targets] of groups) {
        let sender: MessageSender;
        try {
          sender = senderOf(byId.get(providerId)!);
        } catch (error) {
          const reason = `Failed sending to targets with error: ${messageOf(error)}`;
          await recordDeliveries(store, dialect, messageId, targets.map((target) => ({ targetId: target.id, error: reason })), nowDateTime());
          continue;
        }
        for (let start = 0; start < targets.length; start += sender.maxPerRequest) yield { sender, targets: targets.slice(start, start + sender.maxPerRequest) };
      }
    }
  }
  try {
    const batches = batchesToSend();
    // An async generator queues concurrent next() calls: each slot gets a batch of its own.
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        for (;;) {
          stop?.throwIfAborted();
          const next = await batches.next();
          if (next.done) return;
          await sendBatch(deps, projectId, messageId, content, next.value, settings);
        }
      }),
    );
  } catch (error) {
    // Whoever holds the job now finishes the message; this run records nothing more.
    if (stop?.aborted) throw error;
    errors.push(`Failed sending to targets with error: ${messageOf(error)}`);
  } finally {
    for (const sender of senders.values()) sender.close?.();
  }
  const summary = await deliverySummary(store, row.id, ERRORS_KEPT);
  if (summary.delivered + summary.failed === 0 && errors.length === 0) errors.push('No valid recipients found.');
  const recorded = [...new Set([...errors, ...summary.errors.map((failure) => failure.error ?? 'Unknown error')])].slice(0, ERRORS_KEPT);
  await finish(deps, projectId, row, { delivered: summary.delivered, errors: recorded, failed: summary.failed > 0 });
}

/** Sends one batch, retrying with back-off the recipients that failed for a passing reason. */
async function sendBatch(deps: ServiceDeps, projectId: string, messageId: string, content: MessageContent, batch: Route, settings: MessagingSettings): Promise<void> {
  const store = deps.db.project(projectId);
  const byIdentifier = new Map(batch.targets.map((target) => [target.identifier, target]));
  let pending = batch.targets.map((target) => target.identifier);
  const outcomes = new Map<string, string | undefined>();
  for (let attempt = 0; pending.length > 0; attempt++) {
    let results: SendResult[];
    try {
      results = await batch.sender.send(content(pending));
    } catch (error) {
      const reason = `Failed sending to targets with error: ${messageOf(error)}`;
      results = pending.map((recipient) => ({ recipient, error: reason }));
    }
    const retry: string[] = [];
    for (const result of results) {
      if (!byIdentifier.has(result.recipient)) continue;
      if (result.error !== undefined && PASSING.test(result.error) && attempt < settings.maxRetries) retry.push(result.recipient);
      else outcomes.set(result.recipient, result.error);
    }
    pending = retry;
    if (pending.length > 0) await sleep(settings.retryDelayMs * 2 ** attempt * (1 + Math.random() * 0.1));
  }
  const now = nowDateTime();
  const recorded = [...outcomes].map(([identifier, error]) => ({
    targetId: byIdentifier.get(identifier)!.id,
    error: error === undefined ? undefined : error.startsWith('Failed sending') ? error : `Failed sending to target ${identifier} with error: ${error}`,
  }));
  await recordDeliveries(store, deps.db.dialect, messageId, recorded, now);
  const expired = [...outcomes].filter(([, error]) => error === EXPIRED_TOKEN).map(([identifier]) => byIdentifier.get(identifier)!.id);
  await markTargetsExpired(store, expired, now);
}

async function finish(deps: ServiceDeps, projectId: string, row: MessageRow, outcome: { delivered: number; errors: string[]; failed?: boolean }) {
  const errors = outcome.delivered === 0 && outcome.errors.length === 0 ? ['Unknown error'] : outcome.errors;
  const now = nowDateTime();
  const changes = {
    status: outcome.failed || errors.length > 0 ? 'failed' : 'sent',
    delivered_total: outcome.delivered,
    delivered_at: now,
    delivery_errors: JSON.stringify(errors),
    updated_at: now,
  };
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    // A message no longer processing (deleted meanwhile) changes nothing and tells of nothing.
    if (!(await updateMessageIf(trx, row.id, ['processing'], changes))) return;
    emit(messagingEvent(projectId, { levels: [['messages', row.id]], action: 'update', payload: toMessageModel({ ...row, ...changes }) }));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
