import type { CompiledQuery, Kysely } from 'kysely';
import type { ProjectTables, SessionRow, UserRow } from '../tables.js';

type Store = Kysely<ProjectTables>;

/** A session, its user and the user's confirmed memberships: what every signed-in request needs. */
export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
  memberships: { membershipId: string; teamId: string; roles: string }[];
}

/** A session row with its user's columns prefixed `u_` and one membership's `m_`. */
type SessionLookupRow = SessionRow & { [K in keyof UserRow as `u_${K}`]: UserRow[K] } & {
  m_id: string | null;
  m_team_id: string | null;
  m_roles: string | null;
};

export async function insertSession(db: Store, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** Stands in for the secret's hash in the statement compiled once per store. */
const SECRET_HASH = Symbol('secretHash');
const compiledLookups = new WeakMap<Store, CompiledQuery<SessionLookupRow>>();

/**
 * Runs on every signed-in request, so it is compiled once per store (as the project gate
 * is): building and compiling the join cost as much as running it.
 */
function sessionLookup(db: Store): CompiledQuery<SessionLookupRow> {
  let query = compiledLookups.get(db);
  if (query === undefined) {
    query = db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('memberships as m', (join) => join.onRef('m.user_id', '=', 'u.id').on('m.confirmed', '=', 1))
      .selectAll('s')
      .select([
        'u.id as u_id',
        'u.name as u_name',
        'u.email as u_email',
        'u.phone as u_phone',
        'u.password_hash as u_password_hash',
        'u.hash_algorithm as u_hash_algorithm',
        'u.hash_options as u_hash_options',
        'u.password_updated_at as u_password_updated_at',
        'u.password_history as u_password_history',
        'u.status as u_status',
        'u.labels as u_labels',
        'u.prefs as u_prefs',
        'u.email_verified as u_email_verified',
        'u.phone_verified as u_phone_verified',
        'u.mfa as u_mfa',
        'u.mfa_recovery_codes as u_mfa_recovery_codes',
        'u.impersonator as u_impersonator',
        'u.accessed_at as u_accessed_at',
        'u.search as u_search',
        'u.registered_at as u_registered_at',
        'u.created_at as u_created_at',
        'u.updated_at as u_updated_at',
        'm.id as m_id',
        'm.team_id as m_team_id',
        'm.roles as m_roles',
      ])
      .where('s.secret_hash', '=', SECRET_HASH as unknown as string)
      .compile();
    compiledLookups.set(db, query);
  }
  return query;
}

/**
 * One statement: the session by its secret's hash, joined with its user and the user's
 * confirmed memberships (one row per membership). Undefined when no session matches.
 */
export async function findSessionWithUser(db: Store, secretHash: string): Promise<SessionWithUser | undefined> {
  const query = sessionLookup(db);
  const parameters = query.parameters.map((value) => (value === SECRET_HASH ? secretHash : value));
  const { rows } = await db.executeQuery<SessionLookupRow>({ ...query, parameters });
  const first = rows[0];
  if (!first) return undefined;
  const session: SessionRow = {
    id: first.id,
    user_id: first.user_id,
    secret_hash: first.secret_hash,
    provider: first.provider,
    provider_uid: first.provider_uid,
    provider_access_token: first.provider_access_token,
    provider_access_token_expiry: first.provider_access_token_expiry,
    provider_refresh_token: first.provider_refresh_token,
    ip: first.ip,
    user_agent: first.user_agent,
    factors: first.factors,
    mfa_updated_at: first.mfa_updated_at,
    expire: first.expire,
    created_at: first.created_at,
    updated_at: first.updated_at,
  };
  const user: UserRow = {
    id: first.u_id,
    name: first.u_name,
    email: first.u_email,
    phone: first.u_phone,
    password_hash: first.u_password_hash,
    hash_algorithm: first.u_hash_algorithm,
    hash_options: first.u_hash_options,
    password_updated_at: first.u_password_updated_at,
    password_history: first.u_password_history,
    status: first.u_status,
    labels: first.u_labels,
    prefs: first.u_prefs,
    email_verified: first.u_email_verified,
    phone_verified: first.u_phone_verified,
    mfa: first.u_mfa,
    mfa_recovery_codes: first.u_mfa_recovery_codes,
    impersonator: first.u_impersonator,
    accessed_at: first.u_accessed_at,
    search: first.u_search,
    registered_at: first.u_registered_at,
    created_at: first.u_created_at,
    updated_at: first.u_updated_at,
  };
  const memberships = rows
    .filter((row) => row.m_id !== null)
    .map((row) => ({ membershipId: row.m_id!, teamId: row.m_team_id!, roles: row.m_roles! }));
  return { session, user, memberships };
}

/** Confirmed memberships of a user, for callers that found the user another way (JWT). */
export async function findConfirmedMemberships(db: Store, userId: string): Promise<SessionWithUser['memberships']> {
  const rows = await db
    .selectFrom('memberships')
    .select(['id', 'team_id', 'roles'])
    .where('user_id', '=', userId)
    .where('confirmed', '=', 1)
    .execute();
  return rows.map((row) => ({ membershipId: row.id, teamId: row.team_id, roles: row.roles }));
}

export async function findSession(db: Store, userId: string, sessionId: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('id', '=', sessionId).executeTakeFirst();
}

/** A user's sessions, newest first. */
export async function listUserSessions(db: Store, userId: string): Promise<SessionRow[]> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function updateSession(db: Store, sessionId: string, changes: Partial<Omit<SessionRow, 'id' | 'user_id'>>): Promise<void> {
  await db.updateTable('sessions').set(changes).where('id', '=', sessionId).execute();
}

/** False when there was no such session of that user. */
export async function deleteSession(db: Store, userId: string, sessionId: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '=', sessionId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes every session of a user but `keep`; returns the ids deleted. */
export async function deleteUserSessions(db: Store, userId: string, keep?: string): Promise<string[]> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep !== undefined) query = query.where('id', '<>', keep);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

/** Deletes a user's oldest sessions beyond `limit`, for the session-limit policy. */
export async function trimUserSessions(db: Store, userId: string, limit: number): Promise<void> {
  const sessions = await listUserSessions(db, userId);
  const excess = sessions.slice(limit).map((session) => session.id);
  if (excess.length > 0) await db.deleteFrom('sessions').where('id', 'in', excess).execute();
}
