import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AuthDeps } from '../auth/deps.js';
import { assertSecondFactor } from '../auth/second-factor.js';
import { AppError } from '../core/errors.js';
import { holdsLongNumber, parseExactJson, stringifyExactJson } from '../core/exact-json.js';
import { assertScope, requestedProjectId, resolveContext } from './context.js';
import { installConsoleGate } from './console-gate.js';
import { installConsoleSite } from './console-site.js';
import { answerPreflight, checkOrigin } from './cors.js';
import { installRateLimits } from './rate-limit.js';
import { assertSwitchesAllow } from './service-switches.js';
import { answerClientError, answerFrameworkError, assertUrlLength } from './client-errors.js';
import { installErrorHandlers } from './errors.js';
import { assertJsonWithinLimits } from './json-limits.js';
import { dropIdleBodies, httpServerOptions, NODE_TIMEOUTS, type HttpTimeouts } from './timeouts.js';
import { fastifyTrustProxy, type TrustProxy } from './trust-proxy.js';
import { zodValidatorCompiler } from './validation.js';
import type { RoutePlugin } from './typed-routes.js';
import { acceptFormBodies, parseFormPairs } from './form-bodies.js';
import { aliasRewriter, moveAliasParams, type RouteAlias } from './route-aliases.js';
import { runAsActor } from '../core/actor.js';
import { runCountingStatements, type StatementTally } from '../core/statement-tally.js';
import { takeOuterCaller } from './inner-requests.js';

export interface ServerOptions {
  bodyLimit: number;
  /** Largest JSON body, in bytes; `bodyLimit` when absent. */
  jsonBodyLimit?: number;
  trustProxy: TrustProxy;
  /** No logging when absent. */
  logger?: FastifyBaseLogger;
  /** The services to mount under `/v1`. */
  services: RoutePlugin[];
  /** Sends requests for other hosts (user code's) to the routes that serve them; none when absent. */
  hostRouting?: HostRouting;
  /** Abuse limits of the routes that declare `rateLimit`; on by default. */
  rateLimits?: boolean;
  /** Each answer says in `X-Plinth-Statements` how many SQL statements its request sent; off by default. */
  countStatements?: boolean;
  /** How long clients may take to send requests; Node's defaults when absent. */
  timeouts?: HttpTimeouts;
  /** Older paths that still answer, each as the route it names; none when absent. */
  aliases?: RouteAlias[];
  /** The web console's build, served at `/console`; not served when absent. */
  consoleDir?: string;
}

export interface RouteInfo {
  method: string;
  path: string;
  scope: string | readonly string[] | undefined;
}

/** Rewrites a request for another host to the route that serves it, before routing. */
export interface HostRouting {
  /** Looks the host up (a store read) before the request reaches the router; may change its URL. */
  resolve?: (request: IncomingMessage) => Promise<void>;
  rewriteUrl: (request: IncomingMessage) => string;
  /** Runs before every other hook; a reply it sent ends the request. */
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * What the request pipeline needs from the composition root: no more than authenticating a
 * request needs. Services bring their own deps into the routes they mount.
 */
export type HttpDeps = AuthDeps;

/**
 * Builds the request pipeline (context, CORS, switches, scopes, limits, errors) with the given
 * services mounted under `/v1`, without listening: tests can `inject` requests into it.
 */
export function buildHttpServer(deps: HttpDeps, options: ServerOptions): { app: FastifyInstance; routes: RouteInfo[] } {
  const timeouts = options.timeouts ?? NODE_TIMEOUTS;
  const resolveHost = options.hostRouting?.resolve;
  const rewriteUrl = urlRewriter(options);
  const app = Fastify({
    ...(rewriteUrl ? { rewriteUrl } : {}),
    ...(resolveHost ? { serverFactory: (handler: (request: IncomingMessage, response: ServerResponse) => void) => resolvingServer(handler, resolveHost, timeouts) } : {}),
    ...(options.logger ? { loggerInstance: options.logger } : {}),
    bodyLimit: options.bodyLimit,
    trustProxy: fastifyTrustProxy(options.trustProxy),
    http: httpServerOptions(timeouts),
    keepAliveTimeout: timeouts.keepAliveSeconds * 1000,
    requestTimeout: timeouts.requestSeconds * 1000,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: {
      // SDKs send arrays PHP-style (`queries[0]=…`); 100 is the most queries a request may carry.
      querystringParser: parseFormPairs,
      // As Appwrite's router: empty path segments (`/preview/`, `//files`) do not count.
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
    },
  });
  dropIdleBodies(app.server, timeouts);
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method, path: route.url, scope: route.config?.scope });
    }
  });

  app.register(cookie);
  app.setValidatorCompiler(zodValidatorCompiler);
  const jsonBodyLimit = options.jsonBodyLimit ?? options.bodyLimit;
  installErrorHandlers(app, { bodyLimit: options.bodyLimit, jsonBodyLimit });
  acceptEmptyJsonBodies(app, jsonBodyLimit);
  // 64-bit integers (bigint attributes) leave as plain JSON numbers with all their digits.
  app.setReplySerializer((payload) => stringifyExactJson(payload));
  acceptFormBodies(app, jsonBodyLimit);
  // An alias's path parameters that its route takes in the body join the body.
  app.addHook('preValidation', async (request) => moveAliasParams(request));

  app.decorateRequest('ctx', null as never);
  if (options.countStatements === true) countStatementsPerRequest(app);
  if (options.hostRouting) app.addHook('onRequest', options.hostRouting.onRequest);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (request.method === 'OPTIONS') return;
    // Read once: `routeOptions` builds a new object on every access.
    const { config } = request.routeOptions;
    if (config.staticSite === true) return;
    const outer = takeOuterCaller(request);
    const projectId = requestedProjectId(request);
    // CORS headers go on first, so the browser can read whatever error follows; user content gets none.
    const origin = config.userContent === true || outer ? 'none' : await checkOrigin(deps, request, reply, projectId);
    assertUrlLength(request.url);
    // An unknown route is reported before its body is read.
    if (request.is404) throw new AppError('general_route_not_found');
    if (config.scope === undefined) throw new Error(`route ${request.routeOptions.url} declares no scope`);
    // The realtime socket reports a bad project, origin or session in-band, as its clients expect.
    if (config.ownHandshake === true) return;
    if (outer) {
      // Sent while answering another request, whose caller passed the origin and second-factor checks.
      request.ctx = { ...outer };
    } else {
      request.ctx = await resolveContext(deps, request, { withoutProject: config.withoutProject === true });
      // Keys and dev keys only: an administrator's admin mode rides on a cookie, so an unknown origin is refused as for users.
      if (origin === 'unknown' && request.ctx.caller.kind !== 'key' && !request.ctx.devKey && config.anyOrigin !== true) {
        throw new AppError('general_unknown_origin');
      }
    }
    // As Appwrite: a turned-off service, then a turned-off protocol, then the scope.
    assertSwitchesAllow(request.ctx, request, { protocolChecked: outer !== undefined });
    if (!outer) await assertSecondFactor(deps, request.ctx.projectId, request.ctx.user, config.beforeSecondFactor === true);
    // The console's routes check their scope against the organization once the body is read.
    if (config.console === undefined) assertScope(request.ctx.caller, config.scope);
  });
  installConsoleGate(app, deps);
  installRateLimits(app, deps, { enabled: options.rateLimits ?? true });
  // The handler and everything it awaits know who acts: events are stamped with it.
  app.addHook('preHandler', (request, _reply, done) => runAsActor(request.ctx?.actor, done));
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  app.options('/*', { config: { scope: 'public' } }, async (request, reply) => answerPreflight(request, reply));
  if (options.consoleDir !== undefined) installConsoleSite(app, options.consoleDir);
  app.register(
    async (v1) => {
      for (const plugin of options.services) await v1.register(plugin);
    },
    { prefix: '/v1' },
  );
  return { app, routes };
}

/** Runs each request's hooks and handler in a statement tally of its own and reports it on the answer. */
function countStatementsPerRequest(app: FastifyInstance): void {
  const tallies = new WeakMap<FastifyRequest, StatementTally>();
  app.addHook('onRequest', (request, _reply, done) => {
    const tally: StatementTally = { statements: 0 };
    tallies.set(request, tally);
    runCountingStatements(tally, done);
  });
  app.addHook('onSend', async (request, reply) => {
    const tally = tallies.get(request);
    if (tally !== undefined) reply.header('X-Plinth-Statements', String(tally.statements));
  });
}

/**
 * The HTTP server Fastify would make, except that each request's host is resolved (an async store
 * read, which Fastify's synchronous URL rewrite cannot do) before the router sees it. The resolver
 * reports its own failures through the request; it never rejects.
 */
function resolvingServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  resolve: (request: IncomingMessage) => Promise<void>,
  timeouts: HttpTimeouts,
) {
  const server = createServer(httpServerOptions(timeouts), (request, response) => {
    resolve(request).then(
      () => handler(request, response),
      () => handler(request, response),
    );
  });
  server.keepAliveTimeout = timeouts.keepAliveSeconds * 1000;
  server.requestTimeout = timeouts.requestSeconds * 1000;
  server.setTimeout(0);
  return server;
}

/** Host routing first (a function's host owns every path), then the older paths' aliases. */
function urlRewriter(options: ServerOptions): ((request: IncomingMessage) => string) | undefined {
  const aliases = options.aliases?.length ? aliasRewriter(options.aliases) : undefined;
  const hosts = options.hostRouting?.rewriteUrl;
  if (!aliases) return hosts;
  return (request) => {
    const url = hosts ? hosts(request) : (request.url ?? '/');
    return url === request.url ? aliases(request, url) : url;
  };
}

/** Clients send `content-type: application/json` with no body (or `[]`) on some calls: that is `{}`. */
function acceptEmptyJsonBodies(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = body.toString();
    const trimmed = text.trim();
    // PHP encodes a call without parameters as `[]`.
    if (trimmed === '' || trimmed === '[]') return done(null, {});
    try {
      assertJsonWithinLimits(text);
    } catch (error) {
      return done(error as Error, undefined);
    }
    if (holdsLongNumber(text)) {
      try {
        return done(null, parseExactJson(text));
      } catch {
        // Malformed: the default parser below reports it as for any other body.
      }
    }
    parseJson(request, text, done);
  });
}
