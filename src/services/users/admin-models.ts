import type { MembershipRow, TargetRow, TeamRow, UserRow } from '../../data/tables.js';
import { toUserModel, type UserModel } from './models.js';

export function toTargetModel(row: TargetRow) {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    userId: row.user_id,
    providerId: row.provider_id ?? '',
    providerType: row.provider_type,
    identifier: row.identifier,
    expired: row.expired === 1,
  };
}
export type TargetModel = ReturnType<typeof toTargetModel>;

/** The user as a server (API key) sees it: with the password hash, targets and the impersonation flag. */
export function toAdminUserModel(row: UserRow, targets: readonly TargetRow[]): UserModel & { impersonator: boolean } {
  return { ...toUserModel(row, { withPassword: true, targets: targets.map(toTargetModel) }), impersonator: row.impersonator === 1 };
}

export function toMembershipModel(row: MembershipRow, user: UserRow, team: TeamRow | undefined) {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    userId: row.user_id,
    userName: user.name,
    userEmail: user.email ?? '',
    userPhone: user.phone ?? '',
    teamId: row.team_id,
    teamName: team?.name ?? '',
    invited: row.invited_at,
    joined: row.joined_at ?? '',
    confirm: row.confirmed === 1,
    mfa: user.mfa === 1,
    roles: JSON.parse(row.roles) as string[],
  };
}
