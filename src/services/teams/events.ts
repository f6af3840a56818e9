import { nowDateTime } from '../../core/datetime.js';
import { eventNames } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';
import type { MembershipModel, TeamModel } from './models.js';

/** Publishes `teams.ID.<action>[.<attribute>]`, readable by the team's members. */
export async function publishTeamEvent(
  deps: ServiceDeps,
  projectId: string,
  teamId: string,
  change: { action: string; attribute?: string; payload: TeamModel | Record<string, unknown> },
): Promise<void> {
  await deps.events.publish({
    projectId,
    names: eventNames([['teams', teamId]], change.action, change.attribute),
    payload: change.payload,
    readableBy: [`team:${teamId}`],
    timestamp: nowDateTime(),
  });
}

/**
 * Publishes `teams.ID.memberships.ID.<action>[.<attribute>]`, readable by the team's
 * members and by the member concerned, who may not have joined (yet, or any more).
 */
export async function publishMembershipEvent(
  deps: ServiceDeps,
  projectId: string,
  membership: MembershipModel,
  change: { action: string; attribute?: string },
): Promise<void> {
  await deps.events.publish({
    projectId,
    names: eventNames(
      [
        ['teams', membership.teamId],
        ['memberships', membership.$id],
      ],
      change.action,
      change.attribute,
    ),
    payload: membership,
    readableBy: [`team:${membership.teamId}`, `user:${membership.userId}`],
    timestamp: nowDateTime(),
  });
}
