import type { SessionRow, TokenRow, UserRow } from '../../data/tables.js';
import { describeEmail, type EmailFacts } from './email-policy.js';
import { describeUserAgent } from './user-agent.js';

/** The settings argon2id hashes are written with; shown in the user model as Appwrite does. */
const ARGON2_OPTIONS = { type: 'argon2', memoryCost: 19456, timeCost: 2, threads: 1 };

export interface UserModel extends EmailFacts {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  password?: string | null;
  hash?: string;
  hashOptions?: Record<string, unknown>;
  registration: string;
  status: boolean;
  labels: string[];
  passwordUpdate: string;
  email: string;
  phone: string;
  emailVerification: boolean;
  phoneVerification: boolean;
  mfa: boolean;
  prefs: Record<string, unknown>;
  targets: unknown[];
  accessedAt: string;
  impersonator: boolean;
  impersonatorUserId: string;
}

/**
 * The user as the API shows it. The password hash and its algorithm go only to
 * server callers (the Users API); a user reading their own account never sees them.
 */
export function toUserModel(row: UserRow, options: { withPassword: boolean; targets?: unknown[] }): UserModel {
  const model: UserModel = {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    registration: row.registered_at,
    status: row.status === 1,
    labels: JSON.parse(row.labels) as string[],
    passwordUpdate: row.password_updated_at ?? '',
    email: row.email ?? '',
    phone: row.phone ?? '',
    emailVerification: row.email_verified === 1,
    ...describeEmail(row.email),
    phoneVerification: row.phone_verified === 1,
    mfa: row.mfa === 1,
    prefs: JSON.parse(row.prefs) as Record<string, unknown>,
    targets: options.targets ?? [],
    accessedAt: row.accessed_at ?? '',
    impersonator: row.impersonator === 1,
    // Set only on a response to a request that acts for another user; a stored user has none.
    impersonatorUserId: '',
  };
  if (options.withPassword) {
    model.password = row.password_hash;
    model.hash = row.hash_algorithm ?? 'argon2';
    model.hashOptions =
      row.hash_algorithm === null || row.hash_algorithm === 'argon2'
        ? ARGON2_OPTIONS
        : { type: row.hash_algorithm, ...(JSON.parse(row.hash_options ?? '{}') as Record<string, unknown>) };
  }
  return model;
}

export interface SessionModelOptions {
  /** The session the request itself uses. */
  currentSessionId?: string;
  /** The secret, shown only to server callers right after creating the session. */
  secret?: string;
  /** Decrypts stored provider tokens. */
  reveal: (encrypted: string) => string;
}

export function toSessionModel(row: SessionRow, options: SessionModelOptions) {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    userId: row.user_id,
    expire: row.expire,
    provider: row.provider,
    providerUid: row.provider_uid,
    providerAccessToken: row.provider_access_token === '' ? '' : options.reveal(row.provider_access_token),
    providerAccessTokenExpiry: row.provider_access_token_expiry,
    providerRefreshToken: row.provider_refresh_token === '' ? '' : options.reveal(row.provider_refresh_token),
    ip: row.ip,
    ...describeUserAgent(row.user_agent),
    ...unknownCountry,
    current: row.id === options.currentSessionId,
    factors: JSON.parse(row.factors) as string[],
    secret: options.secret ?? '',
    mfaUpdatedAt: row.mfa_updated_at ?? '',
  };
}
export type SessionModel = ReturnType<typeof toSessionModel>;

export function toTokenModel(row: TokenRow, secret: string, phrase = '') {
  return { $id: row.id, $createdAt: row.created_at, userId: row.user_id, secret, expire: row.expire, phrase };
}
export type TokenModel = ReturnType<typeof toTokenModel>;

/** Plinth keeps no IP-to-country table, so the country is reported as Appwrite reports an unknown one. */
export const unknownCountry = { countryCode: '--', countryName: 'Unknown' };
