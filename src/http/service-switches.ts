import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { authMethodSetting, SERVICE_IDS, serviceSetting, type ServiceId } from '../auth/switches.js';
import type { RequestContext } from './context.js';

/**
 * Project switches in the request pipeline. Appwrite lets a project turn off a service or the
 * REST protocol for its clients; API keys (servers) are never stopped by either.
 */

const OPTIONAL_SERVICES: ReadonlySet<string> = new Set(SERVICE_IDS);
/** Route URL → the service it belongs to (null: one that cannot be turned off). Route URLs are few. */
const serviceByRoute = new Map<string, ServiceId | null>();

/**
 * The service a route belongs to: the one it declares (`config.service`), else the first
 * segment of its URL (`/v1/locale/...` → `locale`) when that is a service a project may turn
 * off. `projects`, `console`, `mock`, `tokens` and unknown prefixes cannot be turned off.
 */
export function serviceOfRoute(url: string, declared: ServiceId | null | undefined): ServiceId | null {
  if (declared !== undefined) return declared;
  let service = serviceByRoute.get(url);
  if (service === undefined) {
    const segment = /^\/v1\/([^/]+)/.exec(url)?.[1] ?? '';
    service = OPTIONAL_SERVICES.has(segment) ? (segment as ServiceId) : null;
    serviceByRoute.set(url, service);
  }
  return service;
}

/** The setting for the protocol a route is reached through: GraphQL routes, or REST. */
function protocolSettingOf(url: string): string {
  return url.startsWith('/v1/graphql') ? 'protocol:graphql' : 'protocol:rest';
}

/**
 * Fails when the route's service, or its protocol, is turned off for the project and the
 * caller is not an API key. Costs nothing when the project turned nothing off. A request sent
 * while answering another (a GraphQL field's route) came through that one's protocol, checked there.
 */
export function assertSwitchesAllow(context: RequestContext, request: FastifyRequest, options: { protocolChecked?: boolean } = {}): void {
  if (context.disabledSwitches.size === 0 || context.caller.actsForProject) return;
  // Read only now: `routeOptions` builds a new object on every access.
  const { url = '', config } = request.routeOptions;
  const service = serviceOfRoute(url, config.service);
  if (service !== null && context.disabledSwitches.has(serviceSetting(service))) throw new AppError('general_service_disabled');
  // Appwrite answers a turned-off protocol with 403 general_api_disabled.
  if (options.protocolChecked !== true && context.disabledSwitches.has(protocolSettingOf(url))) throw new AppError('general_api_disabled');
  if (config.authMethod !== undefined && context.disabledSwitches.has(authMethodSetting(config.authMethod))) {
    throw new AppError('user_auth_method_unsupported');
  }
}
