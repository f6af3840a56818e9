import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { PLATFORM_TARGET_FIELDS, PLATFORM_TYPES } from './platform-models.js';
import { createPlatform, deletePlatform, getPlatform, listPlatforms, updatePlatform } from './platforms.js';

const read = { scope: 'platforms.read' };
const write = { scope: 'platforms.write' };

const platformParams = z.object({ platformId: z.string() });

/** `queries[0]=…&total=false`, as the SDKs send list parameters. */
export const listQuerystring = z.object({ queries: queriesParam.pipe(z.array(z.string()).max(100)), total: totalParam });

/** A platform body as its type's schema checked it: `name`, the type's target field, and `platformId` on creation. */
type PlatformBody = Record<string, string>;

export function platformRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    for (const type of PLATFORM_TYPES) {
      const field = PLATFORM_TARGET_FIELDS[type];
      const updateBody = z.object({ name: z.string(), [field]: z.string() });
      const createBody = updateBody.extend({ platformId: z.string() });

      const fields = (body: PlatformBody) => ({ name: body.name ?? '', target: body[field] ?? '' });

      app.post(`/project/platforms/${type}`, { config: write, schema: { body: createBody } }, async (request, reply) => {
        const input = { projectId: request.ctx.projectId, type, platformId: request.body.platformId ?? '', ...fields(request.body) };
        return reply.code(201).send(await createPlatform(deps, input));
      });
      app.put(
        `/project/platforms/${type}/:platformId`,
        { config: write, schema: { params: platformParams, body: updateBody } },
        async (request) =>
          updatePlatform(deps, { projectId: request.ctx.projectId, type, platformId: request.params.platformId, ...fields(request.body) }),
      );
    }

    app.get(
      '/project/platforms',
      { config: read, schema: { querystring: listQuerystring } },
      async (request) => listPlatforms(deps, request.ctx.projectId, request.query),
    );
    app.get(
      '/project/platforms/:platformId',
      { config: read, schema: { params: platformParams } },
      async (request) => getPlatform(deps, request.ctx.projectId, request.params.platformId),
    );
    app.delete(
      '/project/platforms/:platformId',
      { config: write, schema: { params: platformParams } },
      async (request, reply) => {
        await deletePlatform(deps, request.ctx.projectId, request.params.platformId);
        return reply.code(204).send();
      },
    );
  };
}
