/** Who a signed-in user is, as far as permissions care. */
export interface RoleSubject {
  userId: string;
  emailVerified: boolean;
  phoneVerified: boolean;
  labels: readonly string[];
  /** Confirmed memberships only: an open invitation grants nothing. */
  memberships: readonly { membershipId: string; teamId: string; roles: readonly string[] }[];
}

export const GUEST_ROLES: readonly string[] = ['any', 'guests'];

/**
 * The roles a signed-in user holds, in Appwrite's grammar: verified means the email or
 * the phone is verified; each confirmed membership adds the team, the membership and
 * one `team:ID/role` per team role; each label adds `label:NAME`.
 */
export function userRoles(subject: RoleSubject): string[] {
  const verified = subject.emailVerified || subject.phoneVerified;
  const dimension = verified ? 'verified' : 'unverified';
  const roles = ['any', 'users', `users/${dimension}`, `user:${subject.userId}`, `user:${subject.userId}/${dimension}`];
  for (const membership of subject.memberships) {
    roles.push(`team:${membership.teamId}`, `member:${membership.membershipId}`);
    for (const role of membership.roles) roles.push(`team:${membership.teamId}/${role}`);
  }
  for (const label of subject.labels) roles.push(`label:${label}`);
  return roles;
}
