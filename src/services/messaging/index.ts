/** The messaging service's door: its routes, the delivery of queued messages, and its settings. */
export { messagingRoutes } from './routes.js';
export { deliverMessage } from './delivery.js';
export { isDeliveryJob, type DeliveryJob } from './delivery-job.js';
export { DEFAULT_MESSAGING_SETTINGS, parseBaseUrls, type MessagingSettings } from './settings.js';
