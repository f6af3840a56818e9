import type { RoutePlugin } from '../../http/typed-routes.js';
import { registerImportedVerifiers } from '../../infra/hashing/imported.js';
import type { ServiceDeps } from '../deps.js';
import { importRoutes } from './import-routes.js';
import { mfaAdminRoutes } from './mfa-routes.js';
import { userSessionRoutes } from './session-routes.js';
import { targetRoutes } from './target-routes.js';
import { userRecordRoutes } from './user-routes.js';

/** The `users` service: what a server (API key) does with the project's users. */
export function usersRoutes(deps: ServiceDeps): RoutePlugin {
  // Imported users sign in through the account service, which verifies with these.
  registerImportedVerifiers();
  return async (app) => {
    await app.register(userRecordRoutes(deps));
    await app.register(importRoutes(deps));
    await app.register(userSessionRoutes(deps));
    await app.register(targetRoutes(deps));
    await app.register(mfaAdminRoutes(deps));
  };
}
