import { nowDateTime } from '../../core/datetime.js';
import { eventNames } from '../../core/events.js';
import { grantsOf } from '../../core/permissions.js';
import type { PresenceRow } from '../../data/project/presences.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { toPresenceModel } from './models.js';

export type PresenceAction = 'upsert' | 'update' | 'delete';

/** `presences.ID.<action>` (with wildcards), for those who may read the presence. */
export function presenceEvent(projectId: string, row: PresenceRow, action: PresenceAction): PlinthEvent {
  const readableBy = grantsOf(JSON.parse(row.permissions) as string[])
    .filter((grant) => grant.type === 'read')
    .map((grant) => grant.role);
  return { projectId, names: eventNames([['presences', row.id]], action), payload: toPresenceModel(row), readableBy, timestamp: nowDateTime() };
}
