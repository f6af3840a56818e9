import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { adminCaller, guestCaller, keyCaller, userCaller, type Caller } from '../core/caller.js';
import { authenticateUser, type AuthenticatedUser } from '../auth/authenticate-user.js';
import type { AuthDeps } from '../auth/deps.js';
import { acceptDevKey } from '../auth/dev-keys.js';
import { acceptStandardKey, authenticateKey, standardKeyHash } from '../auth/keys.js';
import { CONSOLE_PROJECT_ID, findProjectGate } from '../auth/project-gate.js';
import { authenticateAdmin } from '../auth/admin-mode.js';
import { actorOf, type Actor } from '../core/actor.js';
import { NOTHING_DISABLED, type AuthMethodId, type ServiceId } from '../auth/switches.js';
import { readCredentials, type Credentials } from './credentials.js';

export interface RequestContext {
  projectId: string;
  /** Who is asking, with its roles and scopes: what every service is handed. */
  caller: Caller<AuthenticatedUser['user']>;
  /** Session and JWT material the request carried. */
  credentials: Credentials;
  /** The signed-in user of this project and the session proving it, when the credentials proved one (never an administrator in admin mode). */
  user: AuthenticatedUser | undefined;
  /** Who acts, for the events the request publishes and the audit log; undefined for guests. */
  actor: Actor | undefined;
  /** The language asked for with the `locale` parameter or `X-Appwrite-Locale`, as sent. */
  locale: string | undefined;
  userAgent: string;
  /** The project's switches that are off (`service:<id>`, `protocol:<id>`); usually empty. */
  disabledSwitches: ReadonlySet<string>;
  /** A live dev key came with the request: no abuse limits, no origin check. */
  devKey: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
  interface FastifyContextConfig {
    /**
     * The API scope the route requires, or the scopes of which any one suffices (Appwrite lists
     * older and newer names side by side, e.g. `policies.write` and `project.policies.write`);
     * `public` for routes anyone may call.
     */
    scope?: string | readonly string[];
    /** The service a project can turn off that the route belongs to, when its URL prefix does not say (null: none). */
    service?: ServiceId | null;
    /** The login method a project may turn off that the route belongs to. */
    authMethod?: AuthMethodId;
    /** Open to a session still waiting for its second factor (the MFA routes). */
    beforeSecondFactor?: boolean;
    /** Reached from any origin: OAuth2 providers post their callbacks from their own sites. */
    anyOrigin?: boolean;
    /** Answers without a project (locale, version): the route reads no project's data. */
    withoutProject?: boolean;
    /** Answers with user code's content: no project's platforms lend it the API's CORS. */
    userContent?: boolean;
  }
}

/** The project a request names, by header or (for links a browser follows) by query parameter. */
export function requestedProjectId(request: FastifyRequest): string | undefined {
  return headerValue(request, 'x-appwrite-project') ?? queryValue(request, 'project');
}

/** Builds the request's context: which project, who is calling, with which roles and scopes. */
export async function resolveContext(deps: AuthDeps, request: FastifyRequest, options: { withoutProject: boolean }): Promise<RequestContext> {
  const projectId = requestedProjectId(request);
  if (projectId === undefined) {
    // Only routes that read no project's data answer without one.
    if (!options.withoutProject) throw new AppError('project_not_found', 'No project was given: send its ID in the X-Appwrite-Project header.');
    return guestContext(request, CONSOLE_PROJECT_ID, readCredentials(request, CONSOLE_PROJECT_ID), NOTHING_DISABLED);
  }
  // The console project has no keys: its administrators sign in.
  const presentedKey = projectId === CONSOLE_PROJECT_ID ? undefined : headerValue(request, 'x-appwrite-key');
  // A standard key is read in the statement that reads its project (one round trip, not two).
  const keyHash = presentedKey === undefined ? undefined : standardKeyHash(presentedKey);
  // The project and its switches in one statement: this runs on every request.
  const gate = await findProjectGate(deps, projectId, keyHash);
  if (!gate) throw new AppError('project_not_found');
  const context = guestContext(request, projectId, readCredentials(request, projectId), gate.disabled);
  const devKey = projectId === CONSOLE_PROJECT_ID ? undefined : headerValue(request, 'x-appwrite-dev-key');
  if (devKey !== undefined) context.devKey = await acceptDevKey(deps, projectId, devKey);
  if (presentedKey !== undefined) {
    const key = keyHash === undefined ? await authenticateKey(deps, projectId, presentedKey) : acceptStandardKey(deps, gate.key);
    if (key) {
      actAs(context, keyCaller(key.id, scopeSetOf(key.scopes), request.ip));
      return context;
    }
  }
  if (projectId !== CONSOLE_PROJECT_ID && headerValue(request, 'x-appwrite-mode') === 'admin') {
    // The console's session, not the project's: administrators are users of the console project.
    const admin = await authenticateAdmin(deps, projectId, readCredentials(request, CONSOLE_PROJECT_ID));
    if (admin) {
      actAs(context, adminCaller(admin.user.user.id, ['any', ...admin.access.roles], admin.access.scopes, request.ip, admin.user.user.email ?? ''));
      return context;
    }
  }
  if (context.credentials.session || context.credentials.jwt) {
    const user = await authenticateUser(deps, projectId, context.credentials);
    if (user) {
      context.user = user;
      actAs(context, userCaller(user.user, user.roles, { ip: request.ip, ...(user.session ? { sessionId: user.session.id } : {}) }));
    }
  }
  return context;
}

/** Sets who calls, and the actor derived from it, so the two never disagree. */
function actAs(context: RequestContext, caller: RequestContext['caller']): void {
  context.caller = caller;
  context.actor = actorOf(caller);
}

function guestContext(request: FastifyRequest, projectId: string, credentials: Credentials, disabledSwitches: ReadonlySet<string>): RequestContext {
  const caller = guestCaller(request.ip);
  return {
    projectId,
    caller,
    credentials,
    user: undefined,
    actor: actorOf(caller),
    locale: queryValue(request, 'locale') ?? headerValue(request, 'x-appwrite-locale'),
    userAgent: headerValue(request, 'x-forwarded-user-agent') ?? headerValue(request, 'user-agent') ?? '',
    disabledSwitches,
    devKey: false,
  };
}

/** One set per scope list: a key's list is the same array on every request (see authenticateKey). */
const scopeSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** What every key may reach besides its scopes, as Appwrite's `apps` role: GraphQL (its fields check their own scopes). */
const KEY_ROLE_SCOPES = ['graphql'] as const;

function scopeSetOf(scopes: readonly string[]): ReadonlySet<string> {
  let set = scopeSets.get(scopes);
  if (!set) {
    set = new Set([...KEY_ROLE_SCOPES, ...scopes]);
    scopeSets.set(scopes, set);
  }
  return set;
}

/** Fails unless the caller holds the route's scope, naming what is missing as Appwrite does. */
export function assertScope(caller: Caller, scope: string | readonly string[]): void {
  const accepted = typeof scope === 'string' ? [scope] : scope;
  if (accepted.some((name) => name === 'public' || caller.scopes.has(name))) return;
  const { kind } = caller;
  const role = kind === 'key' ? 'apps' : kind === 'admin' ? caller.roles.filter((name) => name !== 'any').join(', ') : kind === 'user' ? 'users' : 'guests';
  const who = kind === 'key' ? 'API key' : 'User';
  throw new AppError('general_unauthorized_scope', `${who} (role: ${role}) missing scopes (${JSON.stringify(accepted)})`);
}

function queryValue(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
