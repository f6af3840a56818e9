import { formatDateTime } from '../../core/datetime.js';
import { uniqueId } from '../../core/ids.js';
import { randomDigits, randomSecret, sha256 } from '../../core/secrets.js';
import { consumeToken, insertToken } from '../../data/project/tokens.js';
import { AppError } from '../../core/errors.js';
import type { ProjectTables, TokenRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import type { ActivitySource } from '../users/index.js';
import { userEvent } from '../users/index.js';
import { commitWithEvents } from '../event-outbox.js';
import type { Kysely } from 'kysely';
import { toTokenModel, type TokenModel } from '../users/index.js';

/** What a token is for; `createSession` accepts the sign-in kinds. */
export type TokenType = 'magic-url' | 'email' | 'phone' | 'generic' | 'oauth2' | 'verification' | 'phone-verification' | 'recovery';

export interface IssuedToken {
  row: TokenRow;
  /** The secret itself: a link secret or a code. Only its hash is stored. */
  secret: string;
}

/** Appwrite's lifetimes: an hour for links, 15 minutes for codes, a week for email verification. */
export const TOKEN_SECONDS = { link: 3600, code: 900, verification: 7 * 24 * 3600 } as const;

/**
 * Stores a token for the user. Codes are 6 digits (they are typed); links carry 512 random bits,
 * except the magic URL's 256 (64 characters, the length Appwrite's clients cut it out of mails at).
 */
export async function issueToken(
  deps: ServiceDeps,
  projectId: string,
  user: UserRow,
  type: TokenType,
  options: { seconds: number; code?: boolean | string; secretBytes?: number; source: ActivitySource; alsoAs?: 'verification' | 'recovery' },
): Promise<IssuedToken> {
  const secret = typeof options.code === 'string' ? options.code : options.code ? randomDigits(6) : randomSecret(options.secretBytes);
  const now = new Date();
  const row: TokenRow = {
    id: uniqueId(),
    user_id: user.id,
    type,
    secret_hash: sha256(secret),
    expire: formatDateTime(new Date(now.getTime() + options.seconds * 1000)),
    ip: options.source.ip,
    user_agent: options.source.userAgent,
    created_at: formatDateTime(now),
  };
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await insertToken(trx, row);
    emit(userEvent(projectId, user.id, { sub: ['tokens', row.id], action: 'create', payload: toTokenModel(row, '') }));
    // A verification or recovery token is told of under its own name too.
    if (options.alsoAs) emit(userEvent(projectId, user.id, { sub: [options.alsoAs, row.id], action: 'create', payload: toTokenModel(row, '') }));
  });
  return { row, secret };
}

/** The token as the API answers it: the secret only for servers, which deliver it themselves. */
export function tokenModel(issued: IssuedToken, options: { revealSecret: boolean; phrase?: string }): TokenModel {
  return toTokenModel(issued.row, options.revealSecret ? issued.secret : '', options.phrase ?? '');
}

/** Takes a one-time secret of the user (once, even under a race); unknown, used or expired ones are all `user_invalid_token`. */
export async function redeemToken(deps: ServiceDeps, projectId: string, userId: string, types: readonly TokenType[], secret: string): Promise<TokenRow> {
  return redeemTokenIn(deps.db.project(projectId), userId, types, secret);
}

/** The same in a change's transaction: the token is spent only if the change commits. */
export async function redeemTokenIn(store: Kysely<ProjectTables>, userId: string, types: readonly TokenType[], secret: string): Promise<TokenRow> {
  const token = await consumeToken(store, userId, types, sha256(secret));
  if (!token || Date.parse(token.expire) <= Date.now()) throw new AppError('user_invalid_token');
  return token;
}

/** A link back to the app carrying what it needs to finish the flow. */
export function linkWithParams(url: string, params: Record<string, string>): string {
  const link = new URL(url);
  for (const [name, value] of Object.entries(params)) link.searchParams.set(name, value);
  return link.toString();
}
