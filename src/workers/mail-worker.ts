import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { deliverMail } from '../services/messages/index.js';

/** Delivers the 'mails' queue. Bodies carry links and codes, so the log names the mail only. */
export function mailWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    const delivery = await deliverMail(deps, job.payload);
    if (delivery.via === 'capture') {
      logger.info({ project: job.projectId, to: delivery.to, subject: delivery.subject, path: delivery.path }, 'mail captured');
    } else {
      logger.debug({ project: job.projectId, to: delivery.to, via: delivery.via }, 'mail sent');
    }
  };
}
