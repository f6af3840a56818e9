import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { parseListQueries } from '../../core/queries.js';
import { TARGET_LIST } from '../../data/project/user-lists.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { toTargetModel } from './admin-models.js';
import { nameParam, userIdParam } from './params.js';
import { changeTarget, createTarget, listTargets, removeTarget, requireTarget } from './targets.js';
import { requireUser } from './user-records.js';

const read = { scope: 'users.read' };
const write = { scope: 'users.write' };

const userPath = z.object({ userId: userIdParam });
const targetPath = z.object({ userId: userIdParam, targetId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, total: totalParam });
const identifier = z.string().min(1).max(2048);
const providerId = z.string().max(36);
const createBody = z.object({
  targetId: z.string().max(36),
  providerType: z.enum(['email', 'sms', 'push'], { error: 'Value must be one of (email, sms, push)' }),
  identifier,
  providerId: providerId.optional(),
  name: nameParam.optional(),
});
const updateBody = z.object({ identifier: identifier.optional(), providerId: providerId.optional(), name: nameParam.optional() });
const TARGET_QUERY_ATTRIBUTES = Object.keys(TARGET_LIST.columns);

/** A user's messaging targets: where email, SMS and push messages reach them. */
export function targetRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/users/:userId/targets',
      { config: read, schema: { params: userPath, querystring: listQuery } },
      async (request) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        const list = parseListQueries(request.query.queries, { attributes: TARGET_QUERY_ATTRIBUTES });
        return listTargets(deps, request.ctx.projectId, user.id, list, request.query.total);
      },
    );

    app.post(
      '/users/:userId/targets',
      { config: write, schema: { params: userPath, body: createBody } },
      async (request, reply) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        return reply.code(201).send(await createTarget(deps, request.ctx.projectId, user, request.body));
      },
    );

    app.get('/users/:userId/targets/:targetId', { config: read, schema: { params: targetPath } }, async (request) => {
      const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
      return toTargetModel(await requireTarget(deps, request.ctx.projectId, user.id, request.params.targetId));
    });

    app.patch(
      '/users/:userId/targets/:targetId',
      { config: write, schema: { params: targetPath, body: updateBody } },
      async (request) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        const row = await requireTarget(deps, request.ctx.projectId, user.id, request.params.targetId);
        return changeTarget(deps, request.ctx.projectId, row, request.body);
      },
    );

    app.delete(
      '/users/:userId/targets/:targetId',
      { config: write, schema: { params: targetPath } },
      async (request, reply) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        await removeTarget(deps, request.ctx.projectId, await requireTarget(deps, request.ctx.projectId, user.id, request.params.targetId));
        return reply.code(204).send();
      },
    );
  };
}
