/** How webhooks are delivered. */
export interface WebhookSettings {
  /** PLINTH_ALLOW_PRIVATE_URLS: webhook URLs may reach private, loopback and link-local addresses. */
  allowPrivateUrls: boolean;
  /** PLINTH_WEBHOOK_MAX_FAILED_ATTEMPTS: failed deliveries in a row that disable a webhook (Appwrite's 10). */
  maxFailedAttempts: number;
  /** Tries of one delivery, with the queue's back-off between them. */
  deliveryAttempts: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowPrivateUrls: false,
  maxFailedAttempts: 10,
  deliveryAttempts: 4,
};
