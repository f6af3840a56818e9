import { nowDateTime } from '../../core/datetime.js';
import { eventNames } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';
import { publishEvent } from '../event-outbox.js';
import type { PayloadView } from '../../infra/events/event-bus.js';
import { hideMemberDetails, type MembershipModel, type TeamModel } from './models.js';
import { memberDetailsForUsers } from './privacy.js';

/** Publishes `teams.ID.<action>[.<attribute>]`, readable by the team's members. */
export async function publishTeamEvent(
  deps: ServiceDeps,
  projectId: string,
  teamId: string,
  change: { action: string; attribute?: string; payload: TeamModel | Record<string, unknown> },
): Promise<void> {
  await publishEvent(deps, {
    projectId,
    names: eventNames([['teams', teamId]], change.action, change.attribute),
    payload: change.payload,
    readableBy: [`team:${teamId}`],
    timestamp: nowDateTime(),
  });
}

/**
 * Publishes `teams.ID.memberships.ID.<action>[.<attribute>]`, readable by the team's
 * members and by the member concerned, who may not have joined (yet, or any more). Its
 * users receive the membership as reading it would show them, without the details the
 * project hides from users; servers (webhooks, functions) receive all of it.
 */
export async function publishMembershipEvent(
  deps: ServiceDeps,
  projectId: string,
  membership: MembershipModel,
  change: { action: string; attribute?: string },
): Promise<void> {
  await publishEvent(deps, {
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
    ...(await usersViewOf(deps, projectId, membership)),
    timestamp: nowDateTime(),
  });
}

/** A view for every user (all hold `any`) when the project hides something from them; none when it hides nothing. */
async function usersViewOf(deps: ServiceDeps, projectId: string, membership: MembershipModel): Promise<{ views?: PayloadView[] }> {
  const forUsers = hideMemberDetails(membership, await memberDetailsForUsers(deps, projectId));
  return forUsers === membership ? {} : { views: [{ roles: ['any'], payload: forUsers }] };
}
