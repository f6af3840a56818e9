import { publishOutsideTransaction } from '../event-outbox.js';
import { nowDateTime } from '../../core/datetime.js';
import { eventNames } from '../../core/events.js';
import { grantsOf } from '../../core/permissions.js';
import type { PresenceRow } from '../../data/project/presences.js';
import type { ServiceDeps } from '../deps.js';
import { toPresenceModel } from './models.js';

export type PresenceAction = 'upsert' | 'update' | 'delete';

/** Publishes `presences.ID.<action>` (with wildcards) to those who may read the presence. */
export async function publishPresenceEvent(deps: ServiceDeps, projectId: string, row: PresenceRow, action: PresenceAction): Promise<void> {
  const readableBy = grantsOf(JSON.parse(row.permissions) as string[])
    .filter((grant) => grant.type === 'read')
    .map((grant) => grant.role);
  await publishOutsideTransaction(deps, { projectId, names: eventNames([['presences', row.id]], action), payload: toPresenceModel(row), readableBy, timestamp: nowDateTime() });
}
