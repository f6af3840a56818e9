import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { publicOnlyConnection } from '../net/public-address.js';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Verify the receiver's TLS certificate. */
  tls: boolean;
  /** Receivers on private, loopback and link-local addresses are refused unless allowed. */
  allowPrivateUrls: boolean;
  timeoutMs?: number;
}

export type WebhookResponse = { status: number; body: string } | { error: string };

/** Appwrite keeps the first 10 kB of a failed delivery's answer in the webhook's logs. */
const KEPT_BODY_BYTES = 10_000;
const DEFAULT_TIMEOUT_MS = 15_000;

/** POSTs a webhook's body; never throws: a refused or failed connection is an `error`. */
export async function postWebhook(input: WebhookRequest): Promise<WebhookResponse> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return { error: 'Invalid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `Unsupported protocol ${url.protocol}` };
  const { refused, lookup } = publicOnlyConnection(url, input.allowPrivateUrls);
  if (refused !== undefined) return { error: `${refused} is a private address` };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
        timeout: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(lookup ? { lookup } : {}),
        ...(url.protocol === 'https:' ? { rejectUnauthorized: input.tls } : {}),
      },
      (response: IncomingMessage) => {
        const kept: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < KEPT_BODY_BYTES) kept.push(chunk.subarray(0, KEPT_BODY_BYTES - size));
          size += chunk.length;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(kept).toString('utf8') }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`Operation timed out after ${input.timeoutMs ?? DEFAULT_TIMEOUT_MS} milliseconds`)));
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(input.body);
  });
}
