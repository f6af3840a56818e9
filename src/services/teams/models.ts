import type { MemberProfile } from '../../data/project/memberships.js';
import type { MembershipRow, TeamRow } from '../../data/tables.js';

export interface TeamModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  total: number;
  prefs: Record<string, unknown>;
}

export interface MembershipModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  userId: string;
  userName: string;
  userEmail: string;
  userPhone: string;
  teamId: string;
  teamName: string;
  invited: string;
  joined: string;
  confirm: boolean;
  mfa: boolean;
  roles: string[];
}

/** Which member details the membership model shows; a project may hide them from its users. */
export interface MemberDetails {
  userName: boolean;
  userEmail: boolean;
  mfa: boolean;
}

export const ALL_DETAILS: MemberDetails = { userName: true, userEmail: true, mfa: true };

export function toTeamModel(row: TeamRow): TeamModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    total: row.total,
    prefs: JSON.parse(row.prefs) as Record<string, unknown>,
  };
}

/** The membership with its team's name and, as far as `shown` allows, its user's details. */
export function toMembershipModel(
  row: MembershipRow,
  teamName: string,
  profile: MemberProfile | undefined,
  shown: MemberDetails = ALL_DETAILS,
): MembershipModel {
  const model: MembershipModel = {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    userId: row.user_id,
    userName: profile?.name ?? '',
    userEmail: profile?.email ?? '',
    userPhone: profile?.phone ?? '',
    teamId: row.team_id,
    teamName,
    invited: row.invited_at,
    joined: row.joined_at ?? '',
    confirm: row.confirmed === 1,
    mfa: profile?.mfa ?? false,
    roles: JSON.parse(row.roles) as string[],
  };
  return hideMemberDetails(model, shown);
}

/** The membership with the details `shown` leaves out blanked, as Appwrite blanks them. */
export function hideMemberDetails(model: MembershipModel, shown: MemberDetails): MembershipModel {
  if (shown.userName && shown.userEmail && shown.mfa) return model;
  return {
    ...model,
    userName: shown.userName ? model.userName : '',
    userEmail: shown.userEmail ? model.userEmail : '',
    // The phone is contact detail like the email, so the same switch hides it.
    userPhone: shown.userEmail ? model.userPhone : '',
    mfa: shown.mfa ? model.mfa : false,
  };
}
