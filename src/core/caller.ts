import { roleScopes } from './scopes.js';

/**
 * How a caller proved who it is: nobody (`guest`), a session or JWT of the project's user
 * (`user`), an API key (`key`), an administrator of the console acting on the project in admin
 * mode (`admin`), or the server itself running a schedule, an event trigger or a job (`server`).
 */
export type CallerKind = 'guest' | 'user' | 'key' | 'admin' | 'server';

/** What every layer knows of a signed-in user; the layers that store users carry their whole row. */
export interface CallerUser {
  id: string;
}

/**
 * Who is asking, built once per request (or by the job acting) and handed to every service.
 * `User` is the stored user row, which core cannot name; services that read only the id use the
 * default, and callers without a user are `Caller<never>`, which fits any. The constructors below
 * are the only way one is made, so `actsForProject` always follows the kind.
 */
export interface Caller<User extends CallerUser = CallerUser> {
  readonly kind: CallerKind;
  /**
   * Servers (API keys, the server's own jobs) and administrators in admin mode act for the
   * project: document, row, file, team and function permissions do not limit them, and neither
   * do switched-off services or abuse limits.
   */
  readonly actsForProject: boolean;
  /** Roles for permission checks: `any`, `guests`, `users`, `user:ID`, `team:ID/role` … */
  readonly roles: readonly string[];
  /** API scopes the caller holds; each route names the one it needs. */
  readonly scopes: ReadonlySet<string>;
  /** The project's signed-in user (never an administrator in admin mode, who is a user of the console). */
  readonly userId?: string;
  readonly user?: User;
  /** The session the user's credentials belong to; absent for a JWT minted without one. */
  readonly sessionId?: string;
  readonly keyId?: string;
  /** The console's user acting in admin mode, and their email as the audit log names them. */
  readonly adminId?: string;
  readonly adminEmail?: string;
  /** The client's address; empty for the server's own jobs. */
  readonly ip: string;
}

const GUEST_ROLES: readonly string[] = ['any', 'guests'];
const GUEST_SCOPES: ReadonlySet<string> = new Set(roleScopes.guests);
const USER_SCOPES: ReadonlySet<string> = new Set(roleScopes.users);
const NO_SCOPES: ReadonlySet<string> = new Set();

/** Someone who proved nothing. */
export function guestCaller(ip: string): Caller<never> {
  return { kind: 'guest', actsForProject: false, roles: GUEST_ROLES, scopes: GUEST_SCOPES, ip };
}

/** A user of the project, signed in with a session (or JWT) and holding these roles. */
export function userCaller<User extends CallerUser>(user: User, roles: readonly string[], options: { ip?: string; sessionId?: string } = {}): Caller<User> {
  return {
    kind: 'user',
    actsForProject: false,
    roles,
    scopes: USER_SCOPES,
    userId: user.id,
    user,
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    ip: options.ip ?? '',
  };
}

/** A server calling with an API key and its scopes. */
export function keyCaller(keyId: string, scopes: ReadonlySet<string>, ip: string): Caller<never> {
  return { kind: 'key', actsForProject: true, roles: ['any'], scopes, keyId, ip };
}

/** An administrator of the console acting on a project in admin mode, with the roles and scopes of their organization. */
export function adminCaller(adminId: string, roles: readonly string[], scopes: ReadonlySet<string>, ip: string, adminEmail = ''): Caller<never> {
  return { kind: 'admin', actsForProject: true, roles, scopes, adminId, adminEmail, ip };
}

/** The server itself (schedules, event triggers, jobs): it acts for the project and calls no routes, so it holds no scopes. */
export function serverCaller(): Caller<never> {
  return { kind: 'server', actsForProject: true, roles: [], scopes: NO_SCOPES, ip: '' };
}
