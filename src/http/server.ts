import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import qs from 'qs';
import type { ServiceDeps } from '../services/deps.js';
import { accountRoutes } from '../services/account/service.js';
import { assertSecondFactor } from '../services/account/index.js';
import { healthRoutes } from '../services/health/routes.js';
import { localeRoutes } from '../services/locale/routes.js';
import { projectRoutes } from '../services/projects/routes.js';
import { teamsRoutes } from '../services/teams/routes.js';
import { usersRoutes } from '../services/users/routes.js';
import { databasesRoutes } from '../services/databases/index.js';
import { realtimeRoutes } from '../services/realtime/routes.js';
import { storageRoutes } from '../services/storage/index.js';
import { tokensRoutes } from '../services/tokens/index.js';
import { AppError } from '../core/errors.js';
import { assertScope, requestedProjectId, resolveContext } from './context.js';
import { functionHostRouting, functionsRoutes } from '../services/functions/index.js';
import { answerPreflight, checkOrigin } from './cors.js';
import { installRateLimits } from './rate-limit.js';
import { assertSwitchesAllow } from './service-switches.js';
import { answerClientError, answerFrameworkError, assertUrlLength } from './client-errors.js';
import { installErrorHandlers } from './errors.js';
import { assertJsonWithinLimits } from './json-limits.js';
import { dropIdleBodies, httpServerOptions, NODE_TIMEOUTS, type HttpTimeouts } from './timeouts.js';
import { fastifyTrustProxy, type TrustProxy } from './trust-proxy.js';
import { zodValidatorCompiler } from './validation.js';

export interface ServerOptions {
  bodyLimit: number;
  /** Largest JSON body, in bytes; `bodyLimit` when absent. */
  jsonBodyLimit?: number;
  trustProxy: TrustProxy;
  /** No logging when absent. */
  logger?: FastifyBaseLogger;
  /** The services to mount under `/v1`; every API service by default. */
  services?: FastifyPluginAsync[];
  /** Abuse limits of the routes that declare `rateLimit`; on by default. */
  rateLimits?: boolean;
  /** How long clients may take to send requests; Node's defaults when absent. */
  timeouts?: HttpTimeouts;
}

export interface RouteInfo {
  method: string;
  path: string;
  scope: string | undefined;
}

/** Every API service, mounted under `/v1`. */
export function servicePlugins(deps: ServiceDeps): FastifyPluginAsync[] {
  return [healthRoutes(deps), localeRoutes(deps), projectRoutes(deps), accountRoutes(deps), teamsRoutes(deps), usersRoutes(deps), databasesRoutes(deps), realtimeRoutes(deps), storageRoutes(deps), tokensRoutes(deps), functionsRoutes(deps)];
}

/** Builds the API server without listening, so tests and the CLI can use it as it is. */
export function buildServer(deps: ServiceDeps, options: ServerOptions): { app: FastifyInstance; routes: RouteInfo[] } {
  // `<functionId>.functions.<domain>` hosts go to their function, whatever the path.
  const functionHosts = functionHostRouting(deps);
  const timeouts = options.timeouts ?? NODE_TIMEOUTS;
  const app = Fastify({
    rewriteUrl: functionHosts.rewriteUrl,
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
    // SDKs send arrays PHP-style (`queries[0]=…`); 100 is the most queries a request may carry.
    routerOptions: { querystringParser: (query: string) => qs.parse(query, { arrayLimit: 100, depth: 5, parameterLimit: 1000 }) },
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

  app.decorateRequest('ctx', null as never);
  app.addHook('onRequest', functionHosts.onRequest);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (request.method === 'OPTIONS') return;
    const projectId = requestedProjectId(request);
    // Read once: `routeOptions` builds a new object on every access.
    const { config } = request.routeOptions;
    // CORS headers go on first, so the browser can read whatever error follows; user content gets none.
    const origin = config.userContent === true ? 'none' : await checkOrigin(deps, request, reply, projectId);
    assertUrlLength(request.url);
    // An unknown route is reported before its body is read.
    if (request.is404) throw new AppError('general_route_not_found');
    if (config.scope === undefined) throw new Error(`route ${request.routeOptions.url} declares no scope`);
    // The realtime socket reports a bad project, origin or session in-band, as its clients expect.
    if (config.ownHandshake === true) return;
    request.ctx = await resolveContext(deps, request, { withoutProject: config.withoutProject === true });
    if (origin === 'unknown' && request.ctx.caller.kind !== 'key' && config.anyOrigin !== true) {
      throw new AppError('general_unknown_origin');
    }
    // As Appwrite: a turned-off service, then a turned-off protocol, then the scope.
    assertSwitchesAllow(request.ctx, request);
    await assertSecondFactor(deps, request.ctx.projectId, request.ctx.user, config.beforeSecondFactor === true);
    assertScope(request.ctx, config.scope);
  });
  installRateLimits(app, deps, { enabled: options.rateLimits ?? true });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  app.options('/*', { config: { scope: 'public' } }, async (request, reply) => answerPreflight(request, reply));
  app.register(
    async (v1) => {
      for (const plugin of options.services ?? servicePlugins(deps)) await v1.register(plugin);
    },
    { prefix: '/v1' },
  );
  return { app, routes };
}

/** Clients send `content-type: application/json` with no body on some calls: that is `{}`. */
function acceptEmptyJsonBodies(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, {});
    try {
      assertJsonWithinLimits(text);
    } catch (error) {
      return done(error as Error, undefined);
    }
    parseJson(request, text, done);
  });
}
