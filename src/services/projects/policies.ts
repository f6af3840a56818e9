import { POLICY_SETTINGS, readPasswordStrength, type PasswordStrength } from '../../core/policy-settings.js';
import { AppError } from '../../core/errors.js';
import type { ParsedList } from '../../core/queries.js';
import { findProject } from '../../data/platform/projects.js';
import { readProjectSettings, writeProjectSetting } from '../../data/platform/settings.js';
import { pageOf } from '../../core/list-page.js';
import type { ServiceDeps } from '../deps.js';


/**
 * The policies in the order node-appwrite 27.1's ProjectPolicyId lists them. server.json
 * predates password-strength and the deny-*-email four; their paths and shapes follow the SDK.
 */
export const POLICY_IDS = [
  'password-dictionary',
  'password-history',
  'password-strength',
  'password-personal-data',
  'session-alert',
  'session-duration',
  'session-invalidation',
  'session-limit',
  'user-limit',
  'membership-privacy',
  'deny-aliased-email',
  'deny-disposable-email',
  'deny-free-email',
  'deny-corporate-email',
] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

/** Appwrite's limits: a session lasts 5 seconds to a year; counts go up to 5000. */
export const SESSION_DURATION_RANGE = { min: 5, max: 31536000 } as const;
export const POLICY_TOTAL_MAX = 5000;
/** The SDK's documented range for password-strength's `min`. */
export const PASSWORD_MIN_RANGE = { min: 8, max: 256 } as const;

const DEFAULT_SESSION_SECONDS = 31536000;
const DEFAULT_SESSION_LIMIT = 10;

/** What each policy is in effect, with the defaults the auth code applies when nothing is stored. */
export interface PolicyValues {
  passwordDictionary: boolean;
  passwordHistory: number;
  passwordPersonalData: boolean;
  passwordStrength: PasswordStrength;
  sessionAlert: boolean;
  sessionDuration: number;
  /** Off unless stored as on: account/recovery.ts ends sessions only on `true`. */
  sessionInvalidation: boolean;
  /** 0: unlimited. */
  sessionLimit: number;
  /** 0: unlimited. */
  userLimit: number;
  /** true = shown to other members; teams/privacy.ts shows a detail unless it is stored as false. */
  membership: { userId: boolean; userEmail: boolean; userPhone: boolean; userName: boolean; userMFA: boolean };
  /** The email policies users/email-policy.ts enforces; all off unless stored as on. */
  denyEmail: Record<EmailPolicyField, boolean>;
}

export type EmailPolicyField = 'aliased' | 'disposable' | 'free' | 'corporate';

const EMAIL_POLICY_SETTING: Record<EmailPolicyField, string> = {
  aliased: POLICY_SETTINGS.denyAliasedEmail,
  disposable: POLICY_SETTINGS.denyDisposableEmail,
  free: POLICY_SETTINGS.denyFreeEmail,
  corporate: POLICY_SETTINGS.denyCorporateEmail,
};

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

export function readPolicyValues(settings: ReadonlyMap<string, unknown>): PolicyValues {
  const shown = (name: string) => settings.get(name) !== false;
  const duration = settings.get(POLICY_SETTINGS.sessionDuration);
  return {
    passwordDictionary: settings.get(POLICY_SETTINGS.passwordDictionary) === true,
    passwordHistory: count(settings.get(POLICY_SETTINGS.passwordHistory), 0),
    passwordPersonalData: settings.get(POLICY_SETTINGS.passwordPersonalData) === true,
    passwordStrength: readPasswordStrength(settings.get(POLICY_SETTINGS.passwordStrength)),
    sessionAlert: settings.get(POLICY_SETTINGS.sessionAlert) === true,
    sessionDuration: typeof duration === 'number' && duration > 0 ? duration : DEFAULT_SESSION_SECONDS,
    sessionInvalidation: settings.get(POLICY_SETTINGS.sessionInvalidation) === true,
    sessionLimit: count(settings.get(POLICY_SETTINGS.sessionLimit), DEFAULT_SESSION_LIMIT),
    userLimit: count(settings.get(POLICY_SETTINGS.userLimit), 0),
    membership: {
      userId: shown(POLICY_SETTINGS.membershipUserId),
      userEmail: shown(POLICY_SETTINGS.membershipUserEmail),
      userPhone: shown(POLICY_SETTINGS.membershipUserPhone),
      userName: shown(POLICY_SETTINGS.membershipUserName),
      userMFA: shown(POLICY_SETTINGS.membershipMfa),
    },
    denyEmail: {
      aliased: settings.get(EMAIL_POLICY_SETTING.aliased) === true,
      disposable: settings.get(EMAIL_POLICY_SETTING.disposable) === true,
      free: settings.get(EMAIL_POLICY_SETTING.free) === true,
      corporate: settings.get(EMAIL_POLICY_SETTING.corporate) === true,
    },
  };
}

/**
 * The project model's `auth*` policy fields. server.json's model has fields for three of the
 * email policies (none for deny-corporate or password-strength); they override the `false`
 * placeholders models.ts writes before spreading these.
 */
export function toPolicyFields(settings: ReadonlyMap<string, unknown>) {
  const values = readPolicyValues(settings);
  return {
    authDuration: values.sessionDuration,
    authLimit: values.userLimit,
    authSessionsLimit: values.sessionLimit,
    authPasswordHistory: values.passwordHistory,
    authPasswordDictionary: values.passwordDictionary,
    authPersonalDataCheck: values.passwordPersonalData,
    authDisposableEmails: values.denyEmail.disposable,
    authCanonicalEmails: values.denyEmail.aliased,
    authFreeEmails: values.denyEmail.free,
    authSessionAlerts: values.sessionAlert,
    authMembershipsUserName: values.membership.userName,
    authMembershipsUserEmail: values.membership.userEmail,
    authMembershipsMfa: values.membership.userMFA,
    authMembershipsUserId: values.membership.userId,
    authMembershipsUserPhone: values.membership.userPhone,
    authInvalidateSessions: values.sessionInvalidation,
  };
}

/** Policies that are switched on or off. */
export const ENABLED_POLICY_IDS = [
  'password-dictionary',
  'password-personal-data',
  'session-alert',
  'session-invalidation',
  'deny-aliased-email',
  'deny-disposable-email',
  'deny-free-email',
  'deny-corporate-email',
] as const;
type EnabledPolicyId = (typeof ENABLED_POLICY_IDS)[number];

/** Policies that hold a count; `null` (0 when stored) means no limit. */
export const TOTAL_POLICY_IDS = ['password-history', 'session-limit', 'user-limit'] as const;
type TotalPolicyId = (typeof TOTAL_POLICY_IDS)[number];

export type PolicyModel =
  | { $id: EnabledPolicyId; enabled: boolean }
  | ({ $id: 'password-strength' } & PasswordStrength)
  | { $id: 'password-history' | 'session-limit' | 'user-limit'; total: number }
  | { $id: 'session-duration'; duration: number }
  | ({ $id: 'membership-privacy' } & PolicyValues['membership']);

export function toPolicyModel(id: PolicyId, values: PolicyValues): PolicyModel {
  switch (id) {
    case 'password-dictionary':
      return { $id: id, enabled: values.passwordDictionary };
    case 'password-history':
      return { $id: id, total: values.passwordHistory };
    case 'password-strength':
      return { $id: id, ...values.passwordStrength };
    case 'password-personal-data':
      return { $id: id, enabled: values.passwordPersonalData };
    case 'session-alert':
      return { $id: id, enabled: values.sessionAlert };
    case 'session-duration':
      return { $id: id, duration: values.sessionDuration };
    case 'session-invalidation':
      return { $id: id, enabled: values.sessionInvalidation };
    case 'session-limit':
      return { $id: id, total: values.sessionLimit };
    case 'user-limit':
      return { $id: id, total: values.userLimit };
    case 'membership-privacy':
      return { $id: id, ...values.membership };
    case 'deny-aliased-email':
      return { $id: id, enabled: values.denyEmail.aliased };
    case 'deny-disposable-email':
      return { $id: id, enabled: values.denyEmail.disposable };
    case 'deny-free-email':
      return { $id: id, enabled: values.denyEmail.free };
    case 'deny-corporate-email':
      return { $id: id, enabled: values.denyEmail.corporate };
  }
}

async function readValues(deps: ServiceDeps, projectId: string): Promise<PolicyValues> {
  return readPolicyValues(await readProjectSettings(deps.db.platform, projectId));
}

export async function getPolicy(deps: ServiceDeps, projectId: string, id: PolicyId): Promise<PolicyModel> {
  return toPolicyModel(id, await readValues(deps, projectId));
}

/** Only limit and offset apply, as Appwrite documents for this list. */
export async function listPolicies(deps: ServiceDeps, projectId: string, list: ParsedList, total: boolean) {
  const values = await readValues(deps, projectId);
  const all = POLICY_IDS.map((id) => toPolicyModel(id, values));
  return { total: total ? all.length : 0, policies: pageOf(all, list) };
}

/** The setting changes one policy update makes; `null` totals turn the limit off (stored as 0). */
export type PolicyUpdate =
  | { id: EnabledPolicyId; enabled: boolean }
  | { id: 'password-strength'; strength: Partial<PasswordStrength> }
  | { id: TotalPolicyId; total: number | null }
  | { id: 'session-duration'; duration: number }
  | { id: 'membership-privacy'; visible: Partial<PolicyValues['membership']> };

const ENABLED_SETTING = {
  'password-dictionary': POLICY_SETTINGS.passwordDictionary,
  'password-personal-data': POLICY_SETTINGS.passwordPersonalData,
  'session-alert': POLICY_SETTINGS.sessionAlert,
  'session-invalidation': POLICY_SETTINGS.sessionInvalidation,
  'deny-aliased-email': EMAIL_POLICY_SETTING.aliased,
  'deny-disposable-email': EMAIL_POLICY_SETTING.disposable,
  'deny-free-email': EMAIL_POLICY_SETTING.free,
  'deny-corporate-email': EMAIL_POLICY_SETTING.corporate,
} as const satisfies Record<EnabledPolicyId, string>;

const TOTAL_SETTING = {
  'password-history': POLICY_SETTINGS.passwordHistory,
  'session-limit': POLICY_SETTINGS.sessionLimit,
  'user-limit': POLICY_SETTINGS.userLimit,
} as const satisfies Record<TotalPolicyId, string>;

const MEMBERSHIP_SETTING: Record<keyof PolicyValues['membership'], string> = {
  userId: POLICY_SETTINGS.membershipUserId,
  userEmail: POLICY_SETTINGS.membershipUserEmail,
  userPhone: POLICY_SETTINGS.membershipUserPhone,
  userName: POLICY_SETTINGS.membershipUserName,
  userMFA: POLICY_SETTINGS.membershipMfa,
};

/** `current` is what is in effect now: password-strength fields left out keep their value. */
function settingChanges(update: PolicyUpdate, current: PolicyValues): [string, unknown][] {
  switch (update.id) {
    case 'password-dictionary':
    case 'password-personal-data':
    case 'session-alert':
    case 'session-invalidation':
    case 'deny-aliased-email':
    case 'deny-disposable-email':
    case 'deny-free-email':
    case 'deny-corporate-email':
      return [[ENABLED_SETTING[update.id], update.enabled]];
    case 'password-strength': {
      const given = Object.fromEntries(Object.entries(update.strength).filter(([, value]) => value !== undefined));
      return [[POLICY_SETTINGS.passwordStrength, { ...current.passwordStrength, ...given }]];
    }
    case 'password-history':
    case 'session-limit':
    case 'user-limit':
      return [[TOTAL_SETTING[update.id], update.total ?? 0]];
    case 'session-duration':
      return [[POLICY_SETTINGS.sessionDuration, update.duration]];
    case 'membership-privacy':
      return (Object.entries(update.visible) as [keyof PolicyValues['membership'], boolean | undefined][])
        .filter((entry): entry is [keyof PolicyValues['membership'], boolean] => typeof entry[1] === 'boolean')
        .map(([field, shown]) => [MEMBERSHIP_SETTING[field], shown]);
  }
}

/**
 * The ranges the routes' schemas check, checked again here for callers without a schema
 * (the CLI). The messages follow the API's wording for a bad parameter.
 */
function assertInRange(update: PolicyUpdate): void {
  const check = (param: string, value: number | null | undefined, range: { min: number; max: number }) => {
    if (value === null || value === undefined) return;
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: Value must be a valid range between ${range.min} and ${range.max}`);
    }
  };
  if ('total' in update) check('total', update.total, { min: 1, max: POLICY_TOTAL_MAX });
  if ('duration' in update) check('duration', update.duration, SESSION_DURATION_RANGE);
  if ('strength' in update) check('min', update.strength.min, PASSWORD_MIN_RANGE);
}

export async function updatePolicy(deps: ServiceDeps, projectId: string, update: PolicyUpdate): Promise<void> {
  assertInRange(update);
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
  for (const [name, value] of settingChanges(update, await readValues(deps, projectId))) {
    await writeProjectSetting(deps.db.platform, projectId, name, value);
  }
}
