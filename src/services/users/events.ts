import { eventNames, type EventLevel } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';
import { publishEvent } from '../event-outbox.js';
import { nowDateTime } from '../../core/datetime.js';

/** Publishes a change to a user or to something of theirs (a session, a token …), readable by that user. */
export async function publishUserEvent(
  deps: ServiceDeps,
  projectId: string,
  userId: string,
  change: { sub?: EventLevel; action: string; attribute?: string; payload: unknown },
): Promise<void> {
  const levels: EventLevel[] = [['users', userId]];
  if (change.sub) levels.push(change.sub);
  await publishEvent(deps, {
    projectId,
    names: eventNames(levels, change.action, change.attribute),
    payload: change.payload,
    readableBy: [`user:${userId}`],
    timestamp: nowDateTime(),
  });
}
