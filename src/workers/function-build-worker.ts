import type { Logger } from 'pino';
import type { JobHandler } from '../core/job-queue.js';
import type { ServiceDeps } from '../services/deps.js';
import { buildDeployment, type BuildJob } from '../services/functions/index.js';

/** Builds deployments from the 'builds' queue; a failed build is recorded on the deployment, not retried. */
export function functionBuildWorker(deps: ServiceDeps, logger: Logger): JobHandler {
  return async (job) => {
    const payload = job.payload as BuildJob;
    await buildDeployment(deps, payload);
    logger.debug({ project: payload.projectId, function: payload.functionId, deployment: payload.deploymentId }, 'deployment build done');
  };
}
