import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { deliverSms } from '../services/messages/index.js';

/** Delivers text messages from the 'messaging' queue; the text (often a code) is never logged. */
export function smsWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    const delivery = await deliverSms(deps, job.payload);
    if (delivery.path) logger.info({ project: job.projectId, to: delivery.to, path: delivery.path }, 'sms captured');
    else logger.debug({ project: job.projectId, to: delivery.to }, 'sms sent');
  };
}
