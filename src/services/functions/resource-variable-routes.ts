import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { VariableRowBase } from '../../data/project/deployables.js';
import type { ServiceDeps } from '../deps.js';
import {
  createResourceVariable,
  deleteResourceVariable,
  getResourceVariable,
  listResourceVariables,
  updateResourceVariable,
  type VariableResource,
} from './resource-variables.js';

const keyParam = z.string().min(1).max(255);
const valueParam = z.string().max(8192);
const createBody = z.object({ variableId: z.string().max(36).optional(), key: keyParam, value: valueParam, secret: z.boolean().optional() });
const updateBody = z.object({ key: keyParam, value: valueParam.nullish(), secret: z.boolean().nullish() });

type Params = Record<string, string>;

/**
 * A function's or a site's own variables under `/<collection>/:<idParam>/variables`; secret
 * values are written, never read back.
 */
export function resourceVariableRoutes<Row extends VariableRowBase>(
  deps: ServiceDeps,
  options: { collection: 'functions' | 'sites'; idParam: 'functionId' | 'siteId'; variables: VariableResource<Row> },
): RoutePlugin {
  const { collection, idParam, variables } = options;
  const read = { scope: `${collection}.read` };
  const write = { scope: `${collection}.write` };
  const ownerParams = z.object({ [idParam]: z.string().max(36) });
  const variableParams = z.object({ [idParam]: z.string().max(36), variableId: z.string().max(36) });
  const base = `/${collection}/:${idParam}/variables`;
  const ownerOf = (params: Params): string => params[idParam] as string;
  const variableOf = (params: Params): string => params.variableId as string;

  return async (app) => {
    app.get(base, { config: read, schema: { params: ownerParams } }, async (request) =>
      listResourceVariables(variables, deps, request.ctx.projectId, ownerOf(request.params)),
    );

    app.post(base, { config: write, schema: { params: ownerParams, body: createBody } }, async (request, reply) =>
      reply.code(201).send(await createResourceVariable(variables, deps, request.ctx.projectId, ownerOf(request.params), request.body)),
    );

    app.get(`${base}/:variableId`, { config: read, schema: { params: variableParams } }, async (request) =>
      getResourceVariable(variables, deps, request.ctx.projectId, ownerOf(request.params), variableOf(request.params)),
    );

    app.put(`${base}/:variableId`, { config: write, schema: { params: variableParams, body: updateBody } }, async (request) =>
      updateResourceVariable(variables, deps, request.ctx.projectId, ownerOf(request.params), variableOf(request.params), request.body),
    );

    app.delete(`${base}/:variableId`, { config: write, schema: { params: variableParams } }, async (request, reply) => {
      await deleteResourceVariable(variables, deps, request.ctx.projectId, ownerOf(request.params), variableOf(request.params));
      return reply.code(204).send();
    });
  };
}
