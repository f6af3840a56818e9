import type { FastifyInstance } from 'fastify';
import type { RoutePlugin } from '../http/typed-routes.js';
import { buildHttpServer, type HostRouting, type RouteInfo, type ServerOptions } from '../http/server.js';
import type { RouteAlias } from '../http/route-aliases.js';
import { accountAliases, accountRoutes } from '../services/account/index.js';
import { avatarsRoutes } from '../services/avatars/index.js';
import { consoleRoutes } from '../services/console/index.js';
import { databasesAliases, databasesRoutes } from '../services/databases/index.js';
import type { ServiceDeps } from '../services/deps.js';
import { functionHostRouting, functionsAliases, functionsRoutes } from '../services/functions/index.js';
import { graphqlRoutes } from '../services/graphql/index.js';
import { healthRoutes } from '../services/health/index.js';
import { localeRoutes } from '../services/locale/index.js';
import { messagingRoutes } from '../services/messaging/index.js';
import { presencesRoutes } from '../services/presences/index.js';
import { projectAliases, projectRoutes } from '../services/projects/index.js';
import { proxyRoutes, ruleHostRouting } from '../services/proxy/index.js';
import { siteHostRouting, sitesRoutes } from '../services/sites/index.js';
import { realtimeRoutes } from '../services/realtime/index.js';
import { storageRoutes } from '../services/storage/index.js';
import { teamsRoutes } from '../services/teams/index.js';
import { tokensRoutes } from '../services/tokens/index.js';
import { usersRoutes } from '../services/users/index.js';
import { webhooksRoutes } from '../services/webhooks/index.js';
import { scheduleRoutes } from '../services/schedules/index.js';

/** Every API service, mounted under `/v1`. */
export function servicePlugins(deps: ServiceDeps): RoutePlugin[] {
  return [healthRoutes(deps), localeRoutes(deps), projectRoutes(deps), accountRoutes(deps), teamsRoutes(deps), usersRoutes(deps), databasesRoutes(deps), realtimeRoutes(deps), storageRoutes(deps), tokensRoutes(deps), functionsRoutes(deps), proxyRoutes(deps), messagingRoutes(deps), consoleRoutes(deps), graphqlRoutes(deps), webhooksRoutes(deps), scheduleRoutes(deps), avatarsRoutes(deps), presencesRoutes(deps), sitesRoutes(deps)];
}

/** The older paths Appwrite's router still answers, each as the current route it names. */
export const serviceAliases: RouteAlias[] = [...accountAliases, ...databasesAliases, ...functionsAliases, ...projectAliases];

/**
 * The API server without listening, so tests and the CLI can use it as it is: the request
 * pipeline with every service mounted (unless others are given), and function hosts routed.
 */
export function buildServer(
  deps: ServiceDeps,
  options: Omit<ServerOptions, 'services' | 'hostRouting' | 'aliases'> & { services?: RoutePlugin[] },
): { app: FastifyInstance; routes: RouteInfo[] } {
  return buildHttpServer(deps, { ...options, services: options.services ?? servicePlugins(deps), hostRouting: hostRouting(deps), aliases: serviceAliases });
}

/**
 * Requests for hosts other than the API's: a rule's domain goes where its rule says (a function,
 * a redirect, a site), and `<functionId>.functions.<domain>` to its function, whatever the path.
 */
function hostRouting(deps: ServiceDeps): HostRouting {
  const functions = functionHostRouting(deps);
  const sites = siteHostRouting(deps);
  const rules = ruleHostRouting(deps);
  return {
    async resolve(request) {
      // Names under the sites domain are the sites' own: no rule is asked about them.
      if (await sites.resolve(request)) return;
      await rules.resolve(request);
    },
    rewriteUrl: functions.rewriteUrl,
    async onRequest(request, reply) {
      const site = await sites.onRequest(request, reply);
      if (site !== undefined) return site;
      const answered = await rules.onRequest(request, reply);
      if (answered !== undefined) return answered;
      await functions.onRequest(request);
      return undefined;
    },
  };
}
