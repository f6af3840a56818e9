import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { buildSiteDeployment, type SiteBuildJob } from '../services/sites/index.js';

/** Builds site deployments from the 'site-builds' queue; a failed build is recorded on the deployment, not retried. */
export function siteBuildWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    const payload = job.payload as SiteBuildJob;
    await buildSiteDeployment(deps, payload);
    logger.debug({ project: payload.projectId, site: payload.siteId, deployment: payload.deploymentId }, 'site build done');
  };
}
