import { decryptValue } from '../../core/crypto.js';
import type { WebhookRow } from '../../data/tables.js';

export interface WebhookModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  url: string;
  events: string[];
  tls: boolean;
  authUsername: string;
  authPassword: string;
  /** The signature key: shown on creation and rotation only, empty otherwise. */
  secret: string;
  enabled: boolean;
  logs: string;
  attempts: number;
}

export function toWebhookModel(row: WebhookRow, secretKey: Buffer, options: { withSecret?: boolean } = {}): WebhookModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    tls: row.security === 1,
    authUsername: row.auth_username,
    authPassword: row.auth_password === '' ? '' : decryptValue(secretKey, row.auth_password),
    secret: options.withSecret ? decryptValue(secretKey, row.signature_key) : '',
    enabled: row.enabled === 1,
    logs: row.logs,
    attempts: row.attempts,
  };
}

/** The 1.8 webhook, as SDKs made for 1.8 (the console SDK among them) read it. */
export interface WebhookModelV18 extends Omit<WebhookModel, 'tls' | 'authUsername' | 'authPassword' | 'secret'> {
  security: boolean;
  httpUser: string;
  httpPass: string;
  signatureKey: string;
}

export function toWebhookModelV18(model: WebhookModel): WebhookModelV18 {
  const { tls, authUsername, authPassword, secret, ...same } = model;
  return { ...same, security: tls, httpUser: authUsername, httpPass: authPassword, signatureKey: secret };
}
