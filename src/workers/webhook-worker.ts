import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { deliverWebhook, type WebhookDeliveryJob } from '../services/webhooks/index.js';

/** Delivers the 'webhooks' queue; a failed try is thrown back for the queue's back-off. */
export function webhookWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    const delivery = job.payload as WebhookDeliveryJob;
    await deliverWebhook(deps, delivery);
    logger.debug({ project: delivery.projectId, webhook: delivery.webhookId }, 'webhook delivered');
  };
}
