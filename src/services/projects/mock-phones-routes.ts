import type { FastifyPluginAsync } from 'fastify';
import type { ServiceDeps } from '../deps.js';

export function mockPhoneRoutes(_deps: ServiceDeps): FastifyPluginAsync {
  return async () => {};
}
