import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';

/**
 * A messaging event (`providers.ID.create`, `topics.ID.subscribers.ID.delete` …).
 * Providers, topics and messages are the project's own business: servers (webhooks,
 * functions) receive them; a subscriber's change is also readable by its user.
 */
export function messagingEvent(projectId: string, change: { levels: EventLevel[]; action: string; payload: unknown; userId?: string }): PlinthEvent {
  return {
    projectId,
    names: eventNames(change.levels, change.action),
    payload: change.payload,
    readableBy: change.userId ? [`user:${change.userId}`] : [],
    timestamp: nowDateTime(),
  };
}
