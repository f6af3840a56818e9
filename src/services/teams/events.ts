import { nowDateTime } from '../../core/datetime.js';
import { eventNames } from '../../core/events.js';
import type { PayloadView, PlinthEvent } from '../../infra/events/event-bus.js';
import { hideMemberDetails, type MembershipModel, type TeamModel } from './models.js';
import type { MemberDetails } from './models.js';

/** The event `teams.ID.<action>[.<attribute>]`, readable by the team's members; emitted inside the change's transaction. */
export function teamEvent(projectId: string, teamId: string, change: { action: string; attribute?: string; payload: TeamModel | Record<string, unknown> }): PlinthEvent {
  return {
    projectId,
    names: eventNames([['teams', teamId]], change.action, change.attribute),
    payload: change.payload,
    readableBy: [`team:${teamId}`],
    timestamp: nowDateTime(),
  };
}

/**
 * The event `teams.ID.memberships.ID.<action>[.<attribute>]`, readable by the team's
 * members and by the member concerned, who may not have joined (yet, or any more). Its
 * users receive the membership as reading it would show them, without the details the
 * project hides from users (`forUsers`, see memberDetailsForUsers); servers (webhooks,
 * functions) receive all of it.
 */
export function membershipEvent(
  projectId: string,
  membership: MembershipModel,
  change: { action: string; attribute?: string },
  forUsers: MemberDetails,
): PlinthEvent {
  return {
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
    ...usersViewOf(membership, forUsers),
    timestamp: nowDateTime(),
  };
}

/** A view for every user (all hold `any`) when the project hides something from them; none when it hides nothing. */
function usersViewOf(membership: MembershipModel, forUsers: MemberDetails): { views?: PayloadView[] } {
  const hidden = hideMemberDetails(membership, forUsers);
  return hidden === membership ? {} : { views: [{ roles: ['any'], payload: hidden }] };
}
