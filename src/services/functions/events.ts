import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';
import { publishOutsideTransaction } from '../event-outbox.js';

/** Publishes `functions.F[.deployments.D|.executions.E].action` after the change committed. */
export async function publishFunctionEvent(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  change: { child?: { kind: 'deployments' | 'executions'; id: string }; action: 'create' | 'update' | 'delete'; payload: unknown; readableBy?: string[] },
): Promise<void> {
  const levels: EventLevel[] = [['functions', functionId]];
  if (change.child) levels.push([change.child.kind, change.child.id]);
  await publishOutsideTransaction(deps, {
    projectId,
    names: eventNames(levels, change.action),
    payload: change.payload,
    readableBy: change.readableBy ?? [],
    timestamp: nowDateTime(),
  });
}
