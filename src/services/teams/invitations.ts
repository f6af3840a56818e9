import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { equalSecrets, randomSecret, sha256 } from '../../core/secrets.js';
import { findProject } from '../../data/platform/projects.js';
import { confirmMembership, findMembership, findTeamMembershipOfUser, insertMembership, renewInvitation } from '../../data/project/memberships.js';
import { findTeam } from '../../data/project/teams.js';
import { findUserByEmail, findUserByPhone, findUserById } from '../../data/project/users.js';
import type { MembershipRow, ProjectTables, TeamRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { sendSms, sendTemplatedMail } from '../messages/index.js';
import { assertAllowedRedirect } from '../projects/index.js';
import { createUser, issueSession, normaliseEmail, saveUserChangesIn, type ActivitySource, type IssuedSession } from '../users/index.js';
import type { Caller } from '../../core/caller.js';
import { requireOwnedTeam } from './access.js';
import { membershipEvent } from './events.js';
import { memberDetailsForUsers } from './privacy.js';
import { commitWithEvents, type Emit } from '../event-outbox.js';
import { againIfDuplicate } from '../../data/duplicates.js';
import type { Transaction } from 'kysely';
import { membershipModel } from './memberships.js';
import type { MembershipModel } from './models.js';

export interface InvitationInput {
  email?: string;
  userId?: string;
  phone?: string;
  roles: string[];
  /** Where the invitation link leads; required unless a server adds the member directly. */
  url?: string;
  name?: string;
  locale?: string;
}

/**
 * Adds a member to a team. A server's membership is confirmed at once. A team owner's is
 * an invitation: the invitee (created without a password when unknown) gets a link with
 * a one-time secret by mail, or by SMS when they have only a phone, and joins by
 * accepting it. Inviting someone with an open invitation again sends a fresh secret.
 */
export async function inviteMember(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller<UserRow>,
  teamId: string,
  input: InvitationInput,
): Promise<MembershipModel> {
  if (!input.url && !caller.actsForProject) throw new AppError('general_argument_invalid', 'Invalid `url` param: URL is required');
  if (input.url) await assertAllowedRedirect(deps, projectId, input.url, 'url');
  if (!input.userId && !input.email && !input.phone) {
    throw new AppError('general_argument_invalid', 'At least one of userId, email, or phone is required');
  }
  const team = await requireOwnedTeam(deps, projectId, caller, teamId, 'User is not allowed to send invitations for this team');
  const invitee = await findOrCreateInvitee(deps, projectId, input);

  const store = deps.db.project(projectId);
  const existing = await findTeamMembershipOfUser(store, teamId, invitee.id);
  if (existing?.confirmed === 1) throw new AppError('membership_already_confirmed');
  const secret = randomSecret();
  const now = nowDateTime();
  const joinedAt = caller.actsForProject ? now : undefined;
  const forUsers = await memberDetailsForUsers(deps, projectId);
  const { row, model } = await commitWithEvents(deps, projectId, async (trx, emit) => {
    let row: MembershipRow;
    if (existing) {
      const changes = { secret_hash: sha256(secret), invited_at: now, updated_at: now, ...(joinedAt ? { joined_at: joinedAt } : {}) };
      if (!(await renewInvitation(trx, existing, changes))) throw new AppError('membership_already_confirmed');
      row = { ...existing, ...changes, confirmed: joinedAt ? 1 : 0 };
    } else {
      const id = uniqueId();
      row = {
        id,
        team_id: teamId,
        user_id: invitee.id,
        roles: JSON.stringify(input.roles),
        confirmed: joinedAt ? 1 : 0,
        secret_hash: sha256(secret),
        invited_at: now,
        joined_at: joinedAt ?? null,
        search: [id, invitee.id, invitee.name, invitee.email ?? ''].join(' ').toLowerCase(),
        created_at: now,
        updated_at: now,
      };
      if ((await insertMembership(trx, row)) === 'exists') throw new AppError('membership_already_confirmed');
    }
    const model = await membershipModel(trx, row, team);
    emit(membershipEvent(projectId, model, { action: 'create' }, forUsers));
    return { row, model };
  });

  if (!caller.actsForProject && input.url) await sendInvitation(deps, projectId, { caller, team, invitee, membership: row, secret, url: input.url, locale: input.locale });
  return model;
}

/** The user to invite: by id, email or phone (which must agree with each other), created when unknown. */
async function findOrCreateInvitee(deps: ServiceDeps, projectId: string, input: InvitationInput): Promise<UserRow> {
  const store = deps.db.project(projectId);
  const email = input.email ? normaliseEmail(input.email) : undefined;
  const mismatch = (what: string) => new AppError('user_already_exists', `The given ${what} do not belong to the same user.`);
  let found: UserRow | undefined;
  if (input.userId) {
    found = await findUserById(store, input.userId);
    if (!found) throw new AppError('user_not_found');
    if (email && found.email !== email) throw mismatch('userId and email');
    if (input.phone && found.phone !== input.phone) throw mismatch('userId and phone');
    return found;
  }
  if (email) {
    found = await findUserByEmail(store, email);
    if (found && input.phone && found.phone !== input.phone) throw mismatch('email and phone');
  } else if (input.phone) {
    found = await findUserByPhone(store, input.phone);
  }
  if (found) return found;
  return createUser(
    deps,
    projectId,
    { userId: uniqueId(), email: email ?? null, phone: input.phone ?? null, name: input.name || email || '' },
    'generic',
    { via: 'invitation' },
  );
}

interface Invitation {
  caller: Caller<UserRow>;
  team: TeamRow;
  invitee: UserRow;
  membership: MembershipRow;
  secret: string;
  url: string;
  locale?: string | undefined;
}

/** The link carries what accepting needs: the membership, the user, the secret and the team. */
function invitationLink(invitation: Invitation): string {
  const link = new URL(invitation.url);
  link.searchParams.set('membershipId', invitation.membership.id);
  link.searchParams.set('userId', invitation.invitee.id);
  link.searchParams.set('secret', invitation.secret);
  link.searchParams.set('teamId', invitation.team.id);
  link.searchParams.set('teamName', invitation.team.name);
  return link.toString();
}

async function sendInvitation(deps: ServiceDeps, projectId: string, full: Invitation): Promise<void> {
  const url = invitationLink(full);
  const project = (await findProject(deps.db.platform, projectId))?.name ?? projectId;
  const { invitee, team } = full;
  if (invitee.email) {
    await sendTemplatedMail(deps, {
      projectId,
      template: 'invitation',
      ...(full.locale ? { locale: full.locale } : {}),
      to: { email: invitee.email, name: invitee.name },
      variables: { url, team: team.name, inviter: full.caller.user?.name ?? '', project, user: invitee.name || invitee.email },
    });
  } else if (invitee.phone) {
    await sendSms(deps, { projectId, to: invitee.phone, text: `Join ${team.name} on ${project}: ${url}` });
  }
}

export interface AcceptedInvitation {
  membership: MembershipModel;
  /** Opened for an invitee who accepted without being signed in. */
  session?: IssuedSession;
}

/**
 * Accepts an invitation with the secret from its link: the membership is confirmed, the
 * team counts one more member, the address the invitation reached is marked verified,
 * and an invitee who is not signed in gets a session.
 */
export async function acceptInvitation(
  deps: ServiceDeps,
  projectId: string,
  caller: Caller<UserRow>,
  input: { teamId: string; membershipId: string; userId: string; secret: string; source: ActivitySource },
): Promise<AcceptedInvitation> {
  const store = deps.db.project(projectId);
  const membership = await findMembership(store, input.membershipId);
  if (!membership) throw new AppError('membership_not_found');
  const team = await findTeam(store, input.teamId);
  if (!team) throw new AppError('team_not_found');
  if (membership.team_id !== team.id) throw new AppError('team_membership_mismatch');
  if (!membership.secret_hash || !equalSecrets(sha256(input.secret), membership.secret_hash)) throw new AppError('team_invalid_secret');
  if (input.userId !== membership.user_id) throw new AppError('team_invite_mismatch');
  const signedIn = caller.actsForProject ? undefined : caller.user;
  if (signedIn && signedIn.id !== membership.user_id) throw new AppError('team_invite_mismatch');
  if (membership.confirmed === 1) throw new AppError('membership_already_confirmed');

  const user = signedIn ?? (await findUserById(store, membership.user_id));
  if (!user) throw new AppError('user_not_found');
  const joinedAt = nowDateTime();
  const forUsers = await memberDetailsForUsers(deps, projectId);
  const model = await againIfDuplicate(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      if (!(await confirmMembership(trx, membership, joinedAt))) throw new AppError('membership_already_confirmed');
      await markReachedAddressVerified(trx, emit, projectId, user);
      const row: MembershipRow = { ...membership, confirmed: 1, joined_at: joinedAt, updated_at: joinedAt };
      const model = await membershipModel(trx, row, team);
      emit(membershipEvent(projectId, model, { action: 'update', attribute: 'status' }, forUsers));
      return model;
    }),
  );
  const session = signedIn || caller.sessionId ? undefined : await issueSession(deps, projectId, user, input.source, { provider: 'email', factors: ['email'] });
  return session ? { membership: model, session } : { membership: model };
}

/** The invitation reached the user's email (or, without one, their phone): that proves the address. */
async function markReachedAddressVerified(trx: Transaction<ProjectTables>, emit: Emit, projectId: string, user: UserRow): Promise<void> {
  if (user.email && user.email_verified !== 1) {
    await saveUserChangesIn(trx, emit, projectId, user, { email_verified: 1 }, { attribute: 'verification', conflicts: 'generic' });
  } else if (!user.email && user.phone && user.phone_verified !== 1) {
    await saveUserChangesIn(trx, emit, projectId, user, { phone_verified: 1 }, { attribute: 'verification', conflicts: 'generic' });
  }
}
