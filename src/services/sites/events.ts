import { publishOutsideTransaction } from '../event-outbox.js';
import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';

/** Publishes `sites.S[.deployments.D].action` after the change committed. */
export async function publishSiteEvent(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  change: { deploymentId?: string; action: 'create' | 'update' | 'delete'; payload: unknown },
): Promise<void> {
  const levels: EventLevel[] = [['sites', siteId]];
  if (change.deploymentId) levels.push(['deployments', change.deploymentId]);
  await publishOutsideTransaction(deps, { projectId, names: eventNames(levels, change.action), payload: change.payload, readableBy: [], timestamp: nowDateTime() });
}
