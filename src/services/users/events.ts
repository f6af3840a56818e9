import { eventNames, type EventLevel } from '../../core/events.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { nowDateTime } from '../../core/datetime.js';

/** The event of a change to a user or to something of theirs (a session, a token …), readable by that user; emitted inside the change's transaction. */
export function userEvent(projectId: string, userId: string, change: { sub?: EventLevel; action: string; attribute?: string; payload: unknown }): PlinthEvent {
  const levels: EventLevel[] = [['users', userId]];
  if (change.sub) levels.push(change.sub);
  return {
    projectId,
    names: eventNames(levels, change.action, change.attribute),
    payload: change.payload,
    readableBy: [`user:${userId}`],
    timestamp: nowDateTime(),
  };
}
