export { webhooksRoutes } from './routes.js';
export { deliverWebhook, queueWebhookDeliveries, webhookSignature, WEBHOOKS_QUEUE, type WebhookDeliveryJob } from './deliveries.js';
export { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './settings.js';
export { createWebhook, deleteWebhook, getWebhook, listProjectWebhooks, listWebhooks, updateWebhook, updateWebhookSecret } from './webhooks.js';
export { toWebhookModelV18, type WebhookModel, type WebhookModelV18 } from './models.js';
