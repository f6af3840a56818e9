import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';

/** `functions.F[.deployments.D|.executions.E].action`, emitted with the change that it tells of. */
export function functionEvent(
  projectId: string,
  functionId: string,
  change: { child?: { kind: 'deployments' | 'executions'; id: string }; action: 'create' | 'update' | 'delete'; payload: unknown; readableBy?: string[] },
): PlinthEvent {
  const levels: EventLevel[] = [['functions', functionId]];
  if (change.child) levels.push([change.child.kind, change.child.id]);
  return {
    projectId,
    names: eventNames(levels, change.action),
    payload: change.payload,
    readableBy: change.readableBy ?? [],
    timestamp: nowDateTime(),
  };
}
