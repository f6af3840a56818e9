import type { RoutePlugin } from '../../http/typed-routes.js';
import type { ServiceDeps } from '../deps.js';
import { messageRoutes } from './message-routes.js';
import { providerRoutes } from './provider-routes.js';
import { topicRoutes } from './topic-routes.js';

/** The `messaging` service: providers, topics and subscribers, messages. */
export function messagingRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    await app.register(providerRoutes(deps));
    await app.register(topicRoutes(deps));
    await app.register(messageRoutes(deps));
  };
}
