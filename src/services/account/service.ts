import type { RoutePlugin } from '../../http/typed-routes.js';
import type { ServiceDeps } from '../deps.js';
import { identityRoutes } from './identities-routes.js';
import { accountMfaRoutes } from './mfa-routes.js';
import { pushTargetRoutes } from './push-target-routes.js';
import { oauth2Routes } from './oauth2/routes.js';
import { accountCoreRoutes } from './routes.js';
import { accountTokenRoutes } from './token-routes.js';
import { tokenSessionRoutes } from './token-session-routes.js';

/** The `account` service: what a signed-in user (or a guest signing in) does with their own account. */
export function accountRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    await app.register(accountCoreRoutes(deps));
    await app.register(accountMfaRoutes(deps));
    await app.register(accountTokenRoutes(deps));
    await app.register(oauth2Routes(deps));
    await app.register(tokenSessionRoutes(deps));
    await app.register(identityRoutes(deps));
    await app.register(pushTargetRoutes(deps));
  };
}
