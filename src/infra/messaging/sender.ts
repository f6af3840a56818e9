/** One recipient's outcome; no error means the provider accepted it. */
export interface SendResult {
  recipient: string;
  error?: string;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  content: string;
  html: boolean;
  attachments: EmailAttachment[];
}

export interface OutgoingSms {
  to: string[];
  content: string;
}

export interface OutgoingPush {
  to: string[];
  title?: string | undefined;
  body?: string | undefined;
  data?: Record<string, string> | undefined;
  action?: string | undefined;
  image?: string | undefined;
  icon?: string | undefined;
  sound?: string | undefined;
  color?: string | undefined;
  tag?: string | undefined;
  badge?: number | undefined;
  contentAvailable?: boolean | undefined;
  critical?: boolean | undefined;
  priority?: 'high' | 'normal' | undefined;
}

export type OutgoingMessage = OutgoingEmail | OutgoingSms | OutgoingPush;

/**
 * Sends one batch through a provider. A throw fails the whole batch; per-recipient
 * failures come back as results. `close` releases connections the sender keeps.
 */
export interface MessageSender<M extends OutgoingMessage = OutgoingMessage> {
  readonly maxPerRequest: number;
  send(message: M): Promise<SendResult[]>;
  close?(): void;
}

/** What a provider's answer says of a push token that no longer exists. */
export const EXPIRED_TOKEN = 'Expired device token';

/** Where a provider's API lives: its public host unless the operator points it elsewhere. */
export function baseUrl(provider: string, fallback: string, overrides: Readonly<Record<string, string>>): string {
  return (overrides[provider] ?? fallback).replace(/\/+$/, '');
}

/** All recipients delivered, or all failed with one error. */
export function allResults(recipients: readonly string[], error?: string): SendResult[] {
  return recipients.map((recipient) => (error === undefined ? { recipient } : { recipient, error }));
}

/** A fetch with the provider timeouts of the messaging library Appwrite uses (30 s). */
export async function providerFetch(url: string, init: RequestInit): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
