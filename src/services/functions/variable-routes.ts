import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { createFunctionVariable, deleteFunctionVariable, getFunctionVariable, listFunctionVariables, updateFunctionVariable } from './variables.js';

const read = { scope: 'functions.read' };
const write = { scope: 'functions.write' };

const functionParams = z.object({ functionId: z.string().max(36) });
const variableParams = z.object({ functionId: z.string().max(36), variableId: z.string().max(36) });
const keyParam = z.string().min(1).max(255);
const valueParam = z.string().max(8192);
const createBody = z.object({ variableId: z.string().max(36).optional(), key: keyParam, value: valueParam, secret: z.boolean().optional() });
const updateBody = z.object({ key: keyParam, value: valueParam.nullish(), secret: z.boolean().nullish() });

/** A function's own variables; secret values are written, never read back. */
export function variableRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: z.infer<typeof functionParams> }>('/functions/:functionId/variables', { config: read, schema: { params: functionParams } }, async (request) =>
      listFunctionVariables(deps, request.ctx.projectId, request.params.functionId),
    );

    app.post<{ Params: z.infer<typeof functionParams>; Body: z.infer<typeof createBody> }>(
      '/functions/:functionId/variables',
      { config: write, schema: { params: functionParams, body: createBody } },
      async (request, reply) => reply.code(201).send(await createFunctionVariable(deps, request.ctx.projectId, request.params.functionId, request.body)),
    );

    app.get<{ Params: z.infer<typeof variableParams> }>(
      '/functions/:functionId/variables/:variableId',
      { config: read, schema: { params: variableParams } },
      async (request) => getFunctionVariable(deps, request.ctx.projectId, request.params.functionId, request.params.variableId),
    );

    app.put<{ Params: z.infer<typeof variableParams>; Body: z.infer<typeof updateBody> }>(
      '/functions/:functionId/variables/:variableId',
      { config: write, schema: { params: variableParams, body: updateBody } },
      async (request) => updateFunctionVariable(deps, request.ctx.projectId, request.params.functionId, request.params.variableId, request.body),
    );

    app.delete<{ Params: z.infer<typeof variableParams> }>(
      '/functions/:functionId/variables/:variableId',
      { config: write, schema: { params: variableParams } },
      async (request, reply) => {
        await deleteFunctionVariable(deps, request.ctx.projectId, request.params.functionId, request.params.variableId);
        return reply.code(204).send();
      },
    );
  };
}
