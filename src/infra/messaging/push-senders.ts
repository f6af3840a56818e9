import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { connect, type ClientHttp2Session } from 'node:http2';
import { baseUrl, EXPIRED_TOKEN, providerFetch, type MessageSender, type OutgoingPush, type SendResult } from './sender.js';

export interface PushProviderConfig {
  credentials: Record<string, unknown>;
  options: Record<string, unknown>;
  baseUrls: Readonly<Record<string, string>>;
}

const str = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** A compact JWT signed with RS256 or ES256 (raw r||s, as JOSE wants it). */
function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signer = createSign('SHA256').update(input);
  const signature = header.alg === 'ES256' ? signer.sign({ key, dsaEncoding: 'ieee-p1363' }) : signer.sign(key);
  return `${input}.${b64url(signature)}`;
}

/** At most `limit` promises at once, results in order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** FCM HTTP v1: an OAuth2 token from the service account, then one request per device token. */
export function fcmSender(config: PushProviderConfig): MessageSender<OutgoingPush> {
  const raw = config.credentials.serviceAccountJSON;
  const account = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { project_id: string; client_email: string; private_key: string; token_uri?: string };
  const tokenUrl = config.baseUrls.fcmToken ?? 'https://oauth2.googleapis.com/token';
  const sendUrl = `${baseUrl('fcm', 'https://fcm.googleapis.com', config.baseUrls)}/v1/projects/${encodeURIComponent(account.project_id)}/messages:send`;
  let token: { value: string; until: number } | undefined;

  async function accessToken(): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const now = Math.floor(Date.now() / 1000);
    const assertion = signJwt(
      { alg: 'RS256', typ: 'JWT' },
      { iss: account.client_email, scope: 'https://www.googleapis.com/auth/firebase.messaging', aud: tokenUrl, iat: now - 60, exp: now + 3600 },
      createPrivateKey(account.private_key),
    );
    const answer = await providerFetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    });
    if (answer.status !== 200 || !answer.body?.access_token) throw new Error(str(answer.body?.error_description ?? answer.body?.error) || `token HTTP ${answer.status}`);
    token = { value: answer.body.access_token, until: Date.now() + 50 * 60_000 };
    return token.value;
  }

  return {
    maxPerRequest: 5000,
    async send(push) {
      const bearer = await accessToken();
      return mapBounded(push.to, 50, async (device): Promise<SendResult> => {
        const message = {
          token: device,
          notification: { title: push.title ?? '', body: push.body ?? '' },
          ...(push.data ? { data: push.data } : {}),
          android: {
            priority: push.priority === 'high' ? 'high' : 'normal',
            notification: { click_action: push.action, image: push.image, sound: push.sound, icon: push.icon, color: push.color, tag: push.tag },
          },
          apns: {
            headers: { 'apns-priority': push.priority === 'high' ? '10' : '5' },
            payload: { aps: { category: push.action, sound: push.sound, badge: push.badge, ...(push.contentAvailable ? { 'content-available': 1 } : {}) } },
            ...(push.image ? { fcm_options: { image: push.image } } : {}),
          },
        };
        const answer = await providerFetch(sendUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ message }),
        });
        if (answer.status === 200) return { recipient: device };
        const status = str(answer.body?.error?.status);
        const code = str(answer.body?.error?.details?.[0]?.errorCode);
        if (status === 'NOT_FOUND' || status === 'UNREGISTERED' || code === 'UNREGISTERED') return { recipient: device, error: EXPIRED_TOKEN };
        return { recipient: device, error: str(answer.body?.error?.message) || `HTTP ${answer.status}` };
      });
    },
  };
}

/** APNs over HTTP/2 with a token (.p8) key: one request per device on one connection. */
export function apnsSender(config: PushProviderConfig): MessageSender<OutgoingPush> {
  const { credentials } = config;
  const host = config.options.sandbox === true ? 'https://api.development.push.apple.com' : 'https://api.push.apple.com';
  const origin = baseUrl('apns', host, config.baseUrls);
  const key = createPrivateKey(str(credentials.authKey));
  let session: ClientHttp2Session | undefined;
  let jwt: { value: string; until: number } | undefined;

  const bearer = () => {
    if (jwt && jwt.until > Date.now()) return jwt.value;
    const value = signJwt({ alg: 'ES256', kid: str(credentials.authKeyId) }, { iss: str(credentials.teamId), iat: Math.floor(Date.now() / 1000) }, key);
    jwt = { value, until: Date.now() + 40 * 60_000 };
    return value;
  };
  const connection = () => {
    if (!session || session.closed || session.destroyed) {
      session = connect(origin);
      session.on('error', () => session?.destroy());
    }
    return session;
  };

  function post(device: string, payload: string, priority: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = connection().request({
        ':method': 'POST',
        ':path': `/3/device/${encodeURIComponent(device)}`,
        authorization: `bearer ${bearer()}`,
        'apns-topic': str(credentials.bundleId),
        'apns-push-type': 'alert',
        'apns-priority': priority,
        'content-type': 'application/json',
      });
      let status = 0;
      let body = '';
      request.setTimeout(30_000, () => request.close());
      request.on('response', (headers) => (status = Number(headers[':status'])));
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => resolve({ status, body }));
      request.on('error', reject);
      request.end(payload);
    });
  }

  return {
    maxPerRequest: 5000,
    async send(push) {
      const sound = push.critical ? { critical: 1, name: push.sound ?? 'default', volume: 1.0 } : push.sound;
      const payload = JSON.stringify({
        aps: {
          alert: { title: push.title ?? '', body: push.body ?? '' },
          ...(push.action ? { category: push.action } : {}),
          ...(sound ? { sound } : {}),
          ...(push.badge !== undefined ? { badge: push.badge } : {}),
          ...(push.contentAvailable ? { 'content-available': 1 } : {}),
          ...(push.image ? { 'mutable-content': 1 } : {}),
        },
        // Beside aps, where an app's notification service extension reads it to attach the picture.
        ...(push.image ? { image: push.image } : {}),
        ...(push.data ?? {}),
      });
      const priority = push.priority === 'normal' ? '5' : '10';
      return mapBounded(push.to, 50, async (device): Promise<SendResult> => {
        const answer = await post(device, payload, priority);
        if (answer.status === 200) return { recipient: device };
        let reason = '';
        try {
          reason = str(JSON.parse(answer.body).reason);
        } catch {
          reason = answer.body;
        }
        if (answer.status === 410 || reason === 'ExpiredToken' || reason === 'BadDeviceToken' || reason === 'Unregistered') return { recipient: device, error: EXPIRED_TOKEN };
        return { recipient: device, error: reason || `HTTP ${answer.status}` };
      });
    },
    close: () => session?.close(),
  };
}
