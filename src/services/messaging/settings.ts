/** How the delivery worker reaches providers and paces itself. */
export interface MessagingSettings {
  /** API base URLs by provider name (`sendgrid`, `twilio`, `fcm`, `fcmToken`, `apns` …), set by the operator. */
  baseUrls: Readonly<Record<string, string>>;
  /** The first back-off before a throttled batch is retried; it doubles on each retry. */
  retryDelayMs: number;
  /** Retries of a batch whose recipients failed for a passing reason. */
  maxRetries: number;
  /** Batches in flight at once per message. */
  concurrency: number;
  /** Recipients read per page: never the whole audience in memory. */
  pageSize: number;
  /** PLINTH_ALLOW_PRIVATE_URLS: user-given URLs (Web Push endpoints) may reach private addresses. */
  allowPrivateUrls: boolean;
}

export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  baseUrls: {},
  retryDelayMs: 1000,
  maxRetries: 5,
  concurrency: 10,
  pageSize: 5000,
  allowPrivateUrls: false,
};

/** `name=url,name=url` as PLINTH_MESSAGING_BASE_URLS gives them. */
export function parseBaseUrls(value: string | undefined): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const entry of (value ?? '').split(',')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    const url = entry.slice(at + 1).trim();
    new URL(url); // a malformed URL fails at start, not at the first send
    urls[entry.slice(0, at).trim()] = url;
  }
  return urls;
}
