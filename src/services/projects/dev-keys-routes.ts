import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { parseListQueries } from '../../core/queries.js';
import { queriesParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createDevKey, deleteDevKey, getDevKey, listDevKeys, updateDevKey } from './dev-keys.js';

const read = { scope: 'devKeys.read', console: { organization: 'project' } } as const;
const write = { scope: 'devKeys.write', console: { organization: 'project' } } as const;

const keyBody = z.object({
  name: z.string({ error: 'Value must be a valid string' }),
  expire: z.string({ error: 'Value must be valid date in ISO 8601 format.' }),
});
const projectParams = z.object({ projectId: z.string() });
const keyParams = z.object({ projectId: z.string(), keyId: z.string() });
const listQuerystring = z.object({ queries: queriesParam });

/** A project's dev keys, administered from the console by the members of its organization. */
export function devKeyRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/projects/:projectId/dev-keys',
      { config: read, schema: { params: projectParams, querystring: listQuerystring } },
      async (request) => {
        const list = parseListQueries(request.query.queries, { attributes: [] });
        if (list.filters.length > 0 || list.orders.length > 0 || list.cursor) {
          throw new AppError('general_query_invalid', 'Invalid query: Only limit and offset queries are supported here.');
        }
        return listDevKeys(deps, request.params.projectId, { limit: list.limit, offset: list.offset });
      },
    );
    app.post(
      '/projects/:projectId/dev-keys',
      { config: write, schema: { params: projectParams, body: keyBody } },
      async (request, reply) => reply.code(201).send(await createDevKey(deps, request.params.projectId, request.body)),
    );
    app.get('/projects/:projectId/dev-keys/:keyId', { config: read, schema: { params: keyParams } }, async (request) =>
      getDevKey(deps, request.params.projectId, request.params.keyId),
    );
    app.put(
      '/projects/:projectId/dev-keys/:keyId',
      { config: write, schema: { params: keyParams, body: keyBody } },
      async (request) => updateDevKey(deps, request.params.projectId, request.params.keyId, request.body),
    );
    app.delete('/projects/:projectId/dev-keys/:keyId', { config: write, schema: { params: keyParams } }, async (request, reply) => {
      await deleteDevKey(deps, request.params.projectId, request.params.keyId);
      return reply.code(204).send();
    });
  };
}
