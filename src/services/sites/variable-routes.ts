import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { createSiteVariable, deleteSiteVariable, getSiteVariable, listSiteVariables, updateSiteVariable } from './variables.js';

const read = { scope: 'sites.read' };
const write = { scope: 'sites.write' };

const siteParams = z.object({ siteId: z.string().max(36) });
const variableParams = z.object({ siteId: z.string().max(36), variableId: z.string().max(36) });
const keyParam = z.string().min(1).max(255);
const valueParam = z.string().max(8192);
const createBody = z.object({ variableId: z.string().max(36).optional(), key: keyParam, value: valueParam, secret: z.boolean().optional() });
const updateBody = z.object({ key: keyParam, value: valueParam.nullish(), secret: z.boolean().nullish() });

/** A site's own variables; secret values are written, never read back. */
export function siteVariableRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: z.infer<typeof siteParams> }>('/sites/:siteId/variables', { config: read, schema: { params: siteParams } }, async (request) =>
      listSiteVariables(deps, request.ctx.projectId, request.params.siteId),
    );

    app.post<{ Params: z.infer<typeof siteParams>; Body: z.infer<typeof createBody> }>(
      '/sites/:siteId/variables',
      { config: write, schema: { params: siteParams, body: createBody } },
      async (request, reply) => reply.code(201).send(await createSiteVariable(deps, request.ctx.projectId, request.params.siteId, request.body)),
    );

    app.get<{ Params: z.infer<typeof variableParams> }>('/sites/:siteId/variables/:variableId', { config: read, schema: { params: variableParams } }, async (request) =>
      getSiteVariable(deps, request.ctx.projectId, request.params.siteId, request.params.variableId),
    );

    app.put<{ Params: z.infer<typeof variableParams>; Body: z.infer<typeof updateBody> }>(
      '/sites/:siteId/variables/:variableId',
      { config: write, schema: { params: variableParams, body: updateBody } },
      async (request) => updateSiteVariable(deps, request.ctx.projectId, request.params.siteId, request.params.variableId, request.body),
    );

    app.delete<{ Params: z.infer<typeof variableParams> }>(
      '/sites/:siteId/variables/:variableId',
      { config: write, schema: { params: variableParams } },
      async (request, reply) => {
        await deleteSiteVariable(deps, request.ctx.projectId, request.params.siteId, request.params.variableId);
        return reply.code(204).send();
      },
    );
  };
}
