import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createExecution, deleteExecution, getExecution, listExecutions } from './executions.js';

const read = { scope: ['executions.read', 'execution.read'] };
const write = { scope: ['executions.write', 'execution.write'] };

const functionParams = z.object({ functionId: z.string().max(36) });
const executionParams = z.object({ functionId: z.string().max(36), executionId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, total: totalParam });
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;
const createBody = z.object({
  body: z.string().max(10_000_000).default(''),
  async: z.boolean().default(false),
  path: z.string().max(2048).default('/'),
  method: z.enum(METHODS, { error: `Invalid \`method\` param: Value must be one of (${METHODS.join(', ')})` }).default('POST'),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  scheduledAt: z.string().max(64).nullish(),
});

/** Running functions and reading their executions. */
export function executionRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.post(
      '/functions/:functionId/executions',
      { config: write, schema: { params: functionParams, body: createBody } },
      async (request, reply) => {
        const { scheduledAt, path, ...rest } = request.body;
        const { model, status } = await createExecution(deps, request.ctx.projectId, request.params.functionId, request.ctx.caller, {
          ...rest,
          path: path.startsWith('/') ? path : `/${path}`,
          ...(scheduledAt ? { scheduledAt } : {}),
        });
        return reply.code(status).send(model);
      },
    );

    app.get(
      '/functions/:functionId/executions',
      { config: read, schema: { params: functionParams, querystring: listQuery } },
      async (request) => listExecutions(deps, request.ctx.projectId, request.params.functionId, request.ctx.caller, request.query),
    );

    app.get(
      '/functions/:functionId/executions/:executionId',
      { config: read, schema: { params: executionParams } },
      async (request) => getExecution(deps, request.ctx.projectId, request.params.functionId, request.ctx.caller, request.params.executionId),
    );

    app.delete(
      '/functions/:functionId/executions/:executionId',
      { config: write, schema: { params: executionParams } },
      async (request, reply) => {
        await deleteExecution(deps, request.ctx.projectId, request.params.functionId, request.ctx.caller, request.params.executionId);
        return reply.code(204).send();
      },
    );
  };
}
