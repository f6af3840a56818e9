import { onFirstUse } from '../../core/load-package.js';
import { resolvesToPrivate } from '../net/public-address.js';
import { EXPIRED_TOKEN, type MessageSender, type OutgoingPush, type SendResult } from './sender.js';

const loadWebPush = onFirstUse<typeof import('web-push')>('web-push');

export interface WebPushConfig {
  subject: string;
  publicKey: string;
  privateKey: string;
  /** Subscription endpoints are user-given: private, loopback and link-local hosts are refused unless allowed. */
  allowPrivateUrls: boolean;
}

/** A fresh VAPID key pair (P-256), base64url as browsers take the public key. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return loadWebPush().generateVAPIDKeys();
}

/** Web Push (RFC 8030): each subscription gets its payload encrypted (aes128gcm) and signed with VAPID. */
export function webPushSender(config: WebPushConfig): MessageSender<OutgoingPush> {
  async function sendOne(identifier: string, payload: string): Promise<SendResult> {
    let subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
    try {
      subscription = JSON.parse(identifier);
      const url = new URL(subscription.endpoint);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('bad scheme');
      if (!config.allowPrivateUrls && (await resolvesToPrivate(url.hostname))) return { recipient: identifier, error: 'Push endpoint is a private address' };
    } catch {
      return { recipient: identifier, error: 'Invalid push subscription' };
    }
    const details = loadWebPush().generateRequestDetails(subscription, payload, {
      vapidDetails: { subject: config.subject, publicKey: config.publicKey, privateKey: config.privateKey },
      TTL: 2419200,
      contentEncoding: 'aes128gcm',
    });
    const response = await fetch(details.endpoint, {
      method: details.method,
      headers: details.headers as Record<string, string>,
      body: details.body ?? null,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) return { recipient: identifier };
    if (response.status === 404 || response.status === 410) return { recipient: identifier, error: EXPIRED_TOKEN };
    return { recipient: identifier, error: `${response.status} ${text}`.trim().slice(0, 500) };
  }

  return {
    maxPerRequest: 5000,
    async send(push) {
      const payload = JSON.stringify({
        title: push.title ?? '',
        body: push.body ?? '',
        ...(push.data ? { data: push.data } : {}),
        ...(push.action ? { action: push.action } : {}),
        ...(push.image ? { image: push.image } : {}),
        ...(push.icon ? { icon: push.icon } : {}),
        ...(push.tag ? { tag: push.tag } : {}),
        ...(push.badge !== undefined ? { badge: push.badge } : {}),
      });
      const results: SendResult[] = new Array(push.to.length);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(50, push.to.length) }, async () => {
          while (next < push.to.length) {
            const index = next++;
            results[index] = await sendOne(push.to[index]!, payload).catch((error: Error) => ({ recipient: push.to[index]!, error: error.message }));
          }
        }),
      );
      return results;
    },
  };
}
