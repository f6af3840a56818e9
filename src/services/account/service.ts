import type { FastifyPluginAsync } from 'fastify';
import type { ServiceDeps } from '../deps.js';
import { accountCoreRoutes } from './routes.js';

/** The `account` service: what a signed-in user (or a guest signing in) does with their own account. */
export function accountRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(accountCoreRoutes(deps));
  };
}
