import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../deps.js';
import { changeTarget, createTarget, removeTarget, requireTarget } from '../users/index.js';
import { signedInUser } from './caller.js';

const targetsWrite = { scope: 'targets.write' };
const createBody = z.object({ targetId: z.string().max(36), identifier: z.string().min(1).max(2048), providerId: z.string().max(36).optional() });
const updateBody = z.object({ identifier: z.string().min(1).max(2048) });
const targetParams = z.object({ targetId: z.string().max(36) });

/** A signed-in app registers the device token push messages reach, and keeps it current. */
export function pushTargetRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    /** The user's push target; their email and SMS targets follow their account, not these routes. */
    async function ownPushTarget(projectId: string, userId: string, targetId: string) {
      const row = await requireTarget(deps, projectId, userId, targetId);
      if (row.provider_type !== 'push') throw new AppError('user_target_not_found');
      return row;
    }

    app.post('/account/targets/push', { config: targetsWrite, schema: { body: createBody } }, async (request, reply) => {
      const { user } = signedInUser(request);
      const model = await createTarget(deps, request.ctx.projectId, user, { ...request.body, providerType: 'push' });
      return reply.code(201).send(model);
    });

    app.put(
      '/account/targets/:targetId/push',
      { config: targetsWrite, schema: { params: targetParams, body: updateBody } },
      async (request) => {
        const row = await ownPushTarget(request.ctx.projectId, signedInUser(request).user.id, request.params.targetId);
        return changeTarget(deps, request.ctx.projectId, row, { identifier: request.body.identifier });
      },
    );

    app.delete(
      '/account/targets/:targetId/push',
      { config: targetsWrite, schema: { params: targetParams } },
      async (request, reply) => {
        const row = await ownPushTarget(request.ctx.projectId, signedInUser(request).user.id, request.params.targetId);
        await removeTarget(deps, request.ctx.projectId, row);
        return reply.code(204).send();
      },
    );
  };
}
