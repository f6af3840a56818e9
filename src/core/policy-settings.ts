/**
 * The names under which a project's policies are stored (project_settings, JSON values).
 * The project API writes them; the auth code reads them. One list, so the two agree.
 */
export const POLICY_SETTINGS = {
  passwordDictionary: 'policy:password-dictionary',
  passwordHistory: 'policy:password-history',
  passwordPersonalData: 'policy:password-personal-data',
  sessionAlert: 'policy:session-alert',
  sessionDuration: 'policy:session-duration',
  sessionInvalidation: 'policy:session-invalidation',
  sessionLimit: 'policy:session-limit',
  userLimit: 'policy:user-limit',
  membershipUserId: 'policy:membership-privacy-user-id',
  membershipUserEmail: 'policy:membership-privacy-user-email',
  membershipUserPhone: 'policy:membership-privacy-user-phone',
  membershipUserName: 'policy:membership-privacy-user-name',
  membershipMfa: 'policy:membership-privacy-mfa',
} as const;
