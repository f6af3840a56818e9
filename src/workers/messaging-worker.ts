import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { deliverSms } from '../services/messages/index.js';
import { deliverMessage, isDeliveryJob } from '../services/messaging/index.js';

/**
 * The 'messaging' queue: a project's messages through its providers, and this server's own
 * text messages (codes, never logged).
 */
export function messagingWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    if (isDeliveryJob(job.payload)) {
      if (!job.projectId) return;
      await deliverMessage(deps, job.projectId, job.payload, job.signal);
      logger.debug({ project: job.projectId, message: job.payload.messageId }, 'message delivered');
      return;
    }
    const delivery = await deliverSms(deps, job.payload);
    if (delivery.path) logger.info({ project: job.projectId, to: delivery.to, path: delivery.path }, 'sms captured');
    else logger.debug({ project: job.projectId, to: delivery.to }, 'sms sent');
  };
}
