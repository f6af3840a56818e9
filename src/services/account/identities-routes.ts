import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { signedInUser } from './caller.js';
import { deleteIdentity, listIdentities } from '../users/index.js';

const account = { scope: 'account' };
const listQuery = z.object({ queries: queriesParam, total: totalParam });
const identityParams = z.object({ identityId: z.string().max(36) });

/** The OAuth2 identities linked to the signed-in user. */
export function identityRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/account/identities',
      { config: account, schema: { querystring: listQuery } },
      async (request) =>
        listIdentities(deps, request.ctx.projectId, { queries: request.query.queries, total: request.query.total, userId: signedInUser(request).user.id }),
    );

    app.delete(
      '/account/identities/:identityId',
      { config: account, schema: { params: identityParams } },
      async (request, reply) => {
        await deleteIdentity(deps, request.ctx.projectId, request.params.identityId, signedInUser(request).user.id);
        return reply.code(204).send();
      },
    );
  };
}
