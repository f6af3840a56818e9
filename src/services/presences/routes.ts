import type { IncomingHttpHeaders } from 'node:http';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { deletePresence, getPresence, listPresences, updatePresence, upsertPresence } from './presences.js';

const read = { scope: 'presences.read' };
// Appwrite's write routes ask for `presences.read`; a key given `presences.write` may write too.
const write = { scope: ['presences.read', 'presences.write'] };

const params = z.object({ presenceId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, total: totalParam });
const fields = {
  userId: z.string().max(36).nullable().optional(),
  permissions: z.array(z.string().max(2048)).max(100).nullable().optional(),
  expiresAt: z.string().max(64).nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
};
const upsertBody = z.object({ ...fields, status: z.string().max(255, { error: 'Value must be a valid string and no longer than 255 chars' }) });
const updateBody = z.object({ ...fields, status: z.string().max(255, { error: 'Value must be a valid string and no longer than 255 chars' }).nullable().optional(), purge: z.boolean().optional() });

/** `/v1/presences`: who is online, each user's one presence with its status and metadata. */
export function presencesRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/presences', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listPresences(deps, request.ctx.projectId, request.ctx.caller, request.query),
    );
    app.get('/presences/:presenceId', { config: read, schema: { params } }, async (request) =>
      getPresence(deps, request.ctx.projectId, request.ctx.caller, request.params.presenceId),
    );
    app.put(
      '/presences/:presenceId',
      { config: write, schema: { params, body: upsertBody } },
      // GraphQL marks the calls its fields make (`x-appwrite-source`), as Appwrite's does.
      async (request) =>
        upsertPresence(deps, request.ctx.projectId, request.ctx.caller, request.params.presenceId, request.body, sourceOf(request.headers)),
    );
    app.patch(
      '/presences/:presenceId',
      { config: write, schema: { params, body: updateBody } },
      async (request) => updatePresence(deps, request.ctx.projectId, request.ctx.caller, request.params.presenceId, request.body),
    );
    app.delete('/presences/:presenceId', { config: write, schema: { params } }, async (request, reply) => {
      await deletePresence(deps, request.ctx.projectId, request.ctx.caller, request.params.presenceId);
      return reply.status(204).send();
    });
  };
}

const sourceOf = (headers: IncomingHttpHeaders): 'rest' | 'graphql' => (headers['x-appwrite-source'] === 'graphql' ? 'graphql' : 'rest');
