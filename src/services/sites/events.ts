import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';

/** `sites.S[.deployments.D].action`, emitted with the change that it tells of. */
export function siteEvent(projectId: string, siteId: string, change: { deploymentId?: string; action: 'create' | 'update' | 'delete'; payload: unknown }): PlinthEvent {
  const levels: EventLevel[] = [['sites', siteId]];
  if (change.deploymentId) levels.push(['deployments', change.deploymentId]);
  return { projectId, names: eventNames(levels, change.action), payload: change.payload, readableBy: [], timestamp: nowDateTime() };
}
