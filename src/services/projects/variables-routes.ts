import type { FastifyPluginAsync } from 'fastify';
import type { ServiceDeps } from '../deps.js';

export function variableRoutes(_deps: ServiceDeps): FastifyPluginAsync {
  return async () => {};
}
