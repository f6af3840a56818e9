import { randomBytes } from 'node:crypto';
import { encryptValue } from '../../core/crypto.js';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isPublicDomain, normalizeDomain } from '../../core/domains.js';
import { INVALID_EVENTS_MESSAGE, isValidEventPattern } from '../../core/event-patterns.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { deleteWebhookRow, findWebhook, insertWebhook, listAllWebhookRows, listWebhookRows, updateWebhookRow } from '../../data/platform/webhooks.js';
import type { WebhookRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { forgetWebhookListeners } from './listeners.js';
import { toWebhookModel, type WebhookModel } from './models.js';

export const WEBHOOK_QUERY_ATTRIBUTES = ['name', 'url', 'authUsername', 'tls', 'events', 'enabled', 'logs', 'attempts'] as const;

export interface WebhookFields {
  name: string;
  url: string;
  events: string[];
  enabled?: boolean | undefined;
  tls?: boolean | undefined;
  authUsername?: string | undefined;
  authPassword?: string | undefined;
}

function invalid(param: string, why: string): AppError {
  return new AppError('general_argument_invalid', `Invalid \`${param}\` param: ${why}`);
}

/**
 * The checked settings, as Appwrite checks them: an http(s) URL on a public domain (any host
 * when PLINTH_ALLOW_PRIVATE_URLS is on), and events Appwrite knows (see `isValidEventPattern`).
 */
function checkFields(deps: ServiceDeps, input: WebhookFields): Pick<WebhookRow, 'name' | 'url' | 'events' | 'search'> {
  if (input.name.length === 0 || input.name.length > 128) throw invalid('name', 'Value must be a valid string and at least 1 chars and no longer than 128 chars');
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw invalid('url', 'Value must be a valid URL with following schemes (http, https)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('url', 'Value must be a valid URL with following schemes (http, https)');
  if (!deps.webhooks?.allowPrivateUrls && !isPublicDomain(normalizeDomain(url.hostname))) throw invalid('url', 'Value must be a public domain');
  if (input.events.length > 100 || !input.events.every(isValidEventPattern)) throw invalid('events', INVALID_EVENTS_MESSAGE);
  if ((input.authUsername ?? '').length > 256) throw invalid('authUsername', 'Value must be a valid string and no longer than 256 chars');
  if ((input.authPassword ?? '').length > 256) throw invalid('authPassword', 'Value must be a valid string and no longer than 256 chars');
  return { name: input.name, url: input.url, events: JSON.stringify([...new Set(input.events)]), search: `${input.name} ${input.url}`.toLowerCase() };
}

/** A given secret of 8 to 256 characters, or a new random one. */
function signatureKey(secret: string | null | undefined): string {
  if (secret === undefined || secret === null || secret === '') return randomBytes(64).toString('hex');
  if (secret.length < 8 || secret.length > 256) throw invalid('secret', 'Key must be at least 8 characters long, and at max 256 characters.');
  return secret;
}

async function requireWebhook(deps: ServiceDeps, projectId: string, webhookId: string): Promise<WebhookRow> {
  const row = await findWebhook(deps.db.platform, projectId, webhookId);
  if (!row) throw new AppError('webhook_not_found');
  return row;
}

export async function createWebhook(deps: ServiceDeps, projectId: string, input: WebhookFields & { webhookId: string; secret?: string | null | undefined }): Promise<WebhookModel> {
  const id = resolveId(input.webhookId);
  if (!isValidCustomId(id)) {
    throw invalid('webhookId', "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char");
  }
  const fields = checkFields(deps, input);
  const now = nowDateTime();
  const row: WebhookRow = {
    project_id: projectId,
    id,
    ...fields,
    enabled: input.enabled === false ? 0 : 1,
    security: input.tls === false ? 0 : 1,
    auth_username: input.authUsername ?? '',
    auth_password: input.authPassword ? encryptValue(deps.secretKey, input.authPassword) : '',
    signature_key: encryptValue(deps.secretKey, signatureKey(input.secret)),
    logs: '',
    attempts: 0,
    created_at: now,
    updated_at: now,
  };
  if (!(await insertWebhook(deps.db.platform, row))) throw new AppError('webhook_already_exists');
  forgetWebhookListeners(deps, projectId);
  return toWebhookModel(row, deps.secretKey, { withSecret: true });
}

export async function listWebhooks(deps: ServiceDeps, projectId: string, input: { queries: string[]; total: boolean }): Promise<{ total: number; webhooks: WebhookModel[] }> {
  const list = parseListQueries(input.queries, { attributes: WEBHOOK_QUERY_ATTRIBUTES });
  const page = await listWebhookRows(deps.db.platform, projectId, list, { total: input.total });
  return { total: page.total, webhooks: page.rows.map((row) => toWebhookModel(row, deps.secretKey)) };
}

/** Every webhook of the project, secrets hidden, oldest first. */
export async function listProjectWebhooks(deps: ServiceDeps, projectId: string): Promise<WebhookModel[]> {
  return (await listAllWebhookRows(deps.db.platform, projectId)).map((row) => toWebhookModel(row, deps.secretKey));
}

export async function getWebhook(deps: ServiceDeps, projectId: string, webhookId: string): Promise<WebhookModel> {
  return toWebhookModel(await requireWebhook(deps, projectId, webhookId), deps.secretKey);
}

/** Replaces the settings; enabling a webhook again starts its count of failures afresh. */
export async function updateWebhook(deps: ServiceDeps, projectId: string, webhookId: string, input: WebhookFields): Promise<WebhookModel> {
  const current = await requireWebhook(deps, projectId, webhookId);
  const fields = checkFields(deps, input);
  const enabled = input.enabled === false ? 0 : 1;
  const row = await updateWebhookRow(deps.db.platform, projectId, webhookId, {
    ...fields,
    enabled,
    security: input.tls === false ? 0 : 1,
    auth_username: input.authUsername ?? '',
    auth_password: input.authPassword ? encryptValue(deps.secretKey, input.authPassword) : '',
    ...(enabled === 1 && current.enabled === 0 ? { attempts: 0 } : {}),
    updated_at: nowDateTime(),
  });
  forgetWebhookListeners(deps, projectId);
  if (!row) throw new AppError('webhook_not_found');
  return toWebhookModel(row, deps.secretKey);
}

/** A new signature key (given, or random), shown this once. */
export async function updateWebhookSecret(deps: ServiceDeps, projectId: string, webhookId: string, secret: string | null | undefined): Promise<WebhookModel> {
  await requireWebhook(deps, projectId, webhookId);
  const row = await updateWebhookRow(deps.db.platform, projectId, webhookId, {
    signature_key: encryptValue(deps.secretKey, signatureKey(secret)),
    updated_at: nowDateTime(),
  });
  if (!row) throw new AppError('webhook_not_found');
  return toWebhookModel(row, deps.secretKey, { withSecret: true });
}

export async function deleteWebhook(deps: ServiceDeps, projectId: string, webhookId: string): Promise<void> {
  const deleted = await deleteWebhookRow(deps.db.platform, projectId, webhookId);
  forgetWebhookListeners(deps, projectId);
  if (!deleted) throw new AppError('webhook_not_found');
}
