import { findPlacement, notePlacement } from '../../data/platform/runtime-placements.js';
import type { ServiceDeps } from '../deps.js';
import { functionsHost } from './runtime-host.js';

/** Queued executions run on worker nodes; the one that holds a deployment warm should take them. */
export const EXECUTIONS_QUEUE = 'functions';

/** A placement is said again at most this often while a runtime stays in use. */
const REFRESH_MS = 30_000;
const lastNoted = new Map<string, number>();

function runtimeName(projectId: string, deploymentId: string): string {
  return `${projectId}/${deploymentId}`;
}

/**
 * Records that this node holds the deployment warm, if it runs queued executions at all, until its
 * idle timeout would stop it. Throttled: a warm execution costs no write.
 */
export async function noteWarmRuntime(deps: ServiceDeps, projectId: string, deploymentId: string): Promise<void> {
  if (!deps.queue.processes(EXECUTIONS_QUEUE)) return;
  const runtime = runtimeName(projectId, deploymentId);
  const now = Date.now();
  if (now - (lastNoted.get(runtime) ?? 0) < REFRESH_MS) return;
  lastNoted.set(runtime, now);
  const idleMs = functionsHost(deps).settings.idleSeconds * 1000;
  await notePlacement(deps.db.platform, runtime, deps.queue.nodeId, now + idleMs, now);
}

/** The worker node to prefer for the deployment's next queued execution. */
export async function preferredNodeFor(deps: ServiceDeps, projectId: string, deploymentId: string): Promise<string | undefined> {
  return findPlacement(deps.db.platform, runtimeName(projectId, deploymentId), Date.now());
}
