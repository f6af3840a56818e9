/**
 * The names under which a project's policies are stored (project_settings, JSON values).
 * The project API writes them; the auth code reads them. One list, so the two agree.
 */
export const POLICY_SETTINGS = {
  passwordDictionary: 'policy:password-dictionary',
  passwordHistory: 'policy:password-history',
  passwordPersonalData: 'policy:password-personal-data',
  /** An object: { min, uppercase, lowercase, number, symbols }. */
  passwordStrength: 'policy:password-strength',
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
  denyAliasedEmail: 'policy:deny-aliased-email',
  denyDisposableEmail: 'policy:deny-disposable-email',
  denyFreeEmail: 'policy:deny-free-email',
  denyCorporateEmail: 'policy:deny-corporate-email',
} as const;

/** The password-strength policy; what applies when nothing is stored is Appwrite's default. */
export interface PasswordStrength {
  min: number;
  uppercase: boolean;
  lowercase: boolean;
  number: boolean;
  symbols: boolean;
}

export const DEFAULT_PASSWORD_STRENGTH: PasswordStrength = { min: 8, uppercase: false, lowercase: false, number: false, symbols: false };

/** The stored password-strength value with defaults for whatever is missing or malformed. */
export function readPasswordStrength(stored: unknown): PasswordStrength {
  const value = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  const flag = (name: Exclude<keyof PasswordStrength, 'min'>) => value[name] === true;
  return {
    min: typeof value.min === 'number' && Number.isInteger(value.min) && value.min > 0 ? value.min : DEFAULT_PASSWORD_STRENGTH.min,
    uppercase: flag('uppercase'),
    lowercase: flag('lowercase'),
    number: flag('number'),
    symbols: flag('symbols'),
  };
}

/**
 * The policies a new project starts with, as Appwrite 1.9.6 sets them: other sessions end when
 * the password changes, and no limit on sessions per user. Projects created before these were
 * stored keep the older reading (nothing stored: no invalidation, 10 sessions). Appwrite also
 * starts new projects with member details hidden from other members; Plinth keeps showing them
 * until a project turns them off, as projects made before that change expect.
 */
export const NEW_PROJECT_POLICIES: ReadonlyArray<readonly [string, unknown]> = [
  [POLICY_SETTINGS.sessionInvalidation, true],
  [POLICY_SETTINGS.sessionLimit, 0],
];
