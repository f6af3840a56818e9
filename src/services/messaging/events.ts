import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';
import { publishOutsideTransaction } from '../event-outbox.js';

/**
 * Publishes a messaging event (`providers.ID.create`, `topics.ID.subscribers.ID.delete` …).
 * Providers, topics and messages are the project's own business: servers (webhooks,
 * functions) receive them; a subscriber's change is also readable by its user.
 */
export async function publishMessagingEvent(
  deps: ServiceDeps,
  projectId: string,
  change: { levels: EventLevel[]; action: string; payload: unknown; userId?: string },
): Promise<void> {
  await publishOutsideTransaction(deps, {
    projectId,
    names: eventNames(change.levels, change.action),
    payload: change.payload,
    readableBy: change.userId ? [`user:${change.userId}`] : [],
    timestamp: nowDateTime(),
  });
}
