import { createHmac } from 'node:crypto';
import { decryptValue } from '../../core/crypto.js';
import { nowDateTime } from '../../core/datetime.js';
import { stringifyExactJson } from '../../core/exact-json.js';
import { findWebhook, recordWebhookFailure, recordWebhookSuccess } from '../../data/platform/webhooks.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { postWebhook } from '../../infra/webhooks/post-webhook.js';
import type { ServiceDeps } from '../deps.js';
import { forgetWebhookListeners, webhookListeners } from './listeners.js';
import { DEFAULT_WEBHOOK_SETTINGS } from './settings.js';

export const WEBHOOKS_QUEUE = 'webhooks';

/** One event for one webhook: what the delivery worker sends, the same bytes on every try. */
export interface WebhookDeliveryJob {
  projectId: string;
  webhookId: string;
  events: string[];
  body: string;
  userId: string;
}

/**
 * Queues a delivery to each enabled webhook of the project listening to one of the event's
 * names (every wildcard form is among them, so patterns match by equality, as function triggers do).
 */
export async function queueWebhookDeliveries(deps: ServiceDeps, event: PlinthEvent): Promise<void> {
  const webhooks = await webhookListeners(deps, event.projectId);
  if (webhooks.length === 0) return;
  const settings = deps.webhooks ?? DEFAULT_WEBHOOK_SETTINGS;
  const body = stringifyExactJson(event.payload);
  const actor = event.actor;
  const userId = actor && (actor.type === 'user' || actor.type === 'admin') ? actor.userId : '';
  for (const webhook of webhooks) {
    if (!webhook.patterns.some((pattern) => event.names.includes(pattern))) continue;
    const job: WebhookDeliveryJob = { projectId: event.projectId, webhookId: webhook.id, events: event.names, body, userId };
    await deps.queue.enqueue(WEBHOOKS_QUEUE, job, { projectId: event.projectId, maxAttempts: settings.deliveryAttempts });
  }
}

/** PHP's rawurldecode: `%XX` sequences become bytes, anything else stays (Appwrite signs the decoded URL). */
function rawUrlDecode(url: string): string {
  // Odd indexes hold the runs of `%XX`, even ones the text between them.
  const parts = url.split(/((?:%[0-9a-fA-F]{2})+)/);
  return Buffer.concat(parts.map((part, at) => (at % 2 === 1 ? Buffer.from(part.replace(/%/g, ''), 'hex') : Buffer.from(part, 'utf8')))).toString('utf8');
}

/** Appwrite's `X-Appwrite-Webhook-Signature`: base64 of the HMAC-SHA1 of the URL and the body, keyed by the signature key. */
export function webhookSignature(url: string, body: string, signatureKey: string): string {
  return createHmac('sha1', signatureKey).update(rawUrlDecode(url) + body).digest('base64');
}

/**
 * Sends one delivery. A failure is counted on the webhook (its logs say why, as Appwrite's do)
 * and thrown, so the queue tries again after a back-off; enough failures in a row disable it.
 */
export async function deliverWebhook(deps: ServiceDeps, job: WebhookDeliveryJob): Promise<void> {
  const settings = deps.webhooks ?? DEFAULT_WEBHOOK_SETTINGS;
  const webhook = await findWebhook(deps.db.platform, job.projectId, job.webhookId);
  if (!webhook || webhook.enabled !== 1) return;
  const signatureKey = decryptValue(deps.secretKey, webhook.signature_key);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `Plinth-Server v${deps.apiVersion}`,
    'x-appwrite-webhook-id': webhook.id,
    'x-appwrite-webhook-events': job.events.join(','),
    'x-appwrite-webhook-name': webhook.name,
    'x-appwrite-webhook-user-id': job.userId,
    'x-appwrite-webhook-project-id': job.projectId,
    'x-appwrite-webhook-signature': webhookSignature(webhook.url, job.body, signatureKey),
  };
  const password = webhook.auth_password === '' ? '' : decryptValue(deps.secretKey, webhook.auth_password);
  if (webhook.auth_username !== '' && password !== '') {
    headers.authorization = `Basic ${Buffer.from(`${webhook.auth_username}:${password}`).toString('base64')}`;
  }
  const response = await postWebhook({ url: webhook.url, body: job.body, headers, tls: webhook.security === 1, allowPrivateUrls: settings.allowPrivateUrls });
  if (!('error' in response) && response.status < 400) {
    await recordWebhookSuccess(deps.db.platform, job.projectId, webhook.id);
    return;
  }
  let logs = `URL: ${webhook.url}\nMethod: POST\n`;
  logs += 'error' in response ? `Error: ${response.error}\nEvents: ${job.events.join(', ')}\n` : `Status code: ${response.status}\nBody: \n${response.body}\n`;
  const failed = await recordWebhookFailure(deps.db.platform, job.projectId, webhook.id, logs, settings.maxFailedAttempts, nowDateTime());
  // Disabled by this failure: no more deliveries are queued for it.
  if (failed?.enabled === 0) forgetWebhookListeners(deps, job.projectId);
  throw new Error(logs);
}
