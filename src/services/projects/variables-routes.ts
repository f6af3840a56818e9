import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { listQuerystring } from './platforms-routes.js';
import { createVariable, deleteVariable, getVariable, listVariables, updateVariable } from './variables.js';

const read = { scope: 'project.read' };
const write = { scope: 'project.write' };

const variableParams = z.object({ variableId: z.string() });

const createBody = z.object({ variableId: z.string(), key: z.string(), value: z.string(), secret: z.boolean().optional() });

const updateBody = z.object({ key: z.string().nullish(), value: z.string().nullish(), secret: z.boolean().nullish() });

export function variableRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/project/variables',
      { config: read, schema: { querystring: listQuerystring } },
      async (request) => listVariables(deps, request.ctx.projectId, request.query),
    );
    app.post('/project/variables', { config: write, schema: { body: createBody } }, async (request, reply) =>
      reply.code(201).send(await createVariable(deps, { projectId: request.ctx.projectId, ...request.body })),
    );
    app.get(
      '/project/variables/:variableId',
      { config: read, schema: { params: variableParams } },
      async (request) => getVariable(deps, request.ctx.projectId, request.params.variableId),
    );
    app.put(
      '/project/variables/:variableId',
      { config: write, schema: { params: variableParams, body: updateBody } },
      async (request) => updateVariable(deps, { projectId: request.ctx.projectId, variableId: request.params.variableId, ...request.body }),
    );
    app.delete(
      '/project/variables/:variableId',
      { config: write, schema: { params: variableParams } },
      async (request, reply) => {
        await deleteVariable(deps, request.ctx.projectId, request.params.variableId);
        return reply.code(204).send();
      },
    );
  };
}
