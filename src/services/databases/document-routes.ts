import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { createDocument, deleteDocument, getDocument, listDocuments, updateDocument } from './documents.js';
import { databaseCaller, pathId, permissionsParam } from './route-params.js';

const dataParam = z.record(z.string(), z.unknown());

/** Documents (rows) of one API's vocabulary. */
export function registerDocumentRoutes(app: FastifyInstance, deps: ServiceDeps, api: ApiNames): void {
  const read = { scope: api.kind === 'legacy' ? 'documents.read' : 'rows.read' };
  const write = { scope: api.kind === 'legacy' ? 'documents.write' : 'rows.write' };
  const itemsPath = `${api.prefix}/:databaseId/${api.containers}/:${api.containerParam}/${api.items}`;
  const onePath = `${itemsPath}/:${api.itemParam}`;
  const containerParams = z.object({ databaseId: pathId, [api.containerParam]: pathId });
  const itemParams = containerParams.extend({ [api.itemParam]: pathId });
  const listQuery = z.object({ queries: queriesParam, total: totalParam, transactionId: z.string().optional(), ttl: z.coerce.number().optional() });
  const getQuery = z.object({ queries: queriesParam, transactionId: z.string().optional() });
  const createBody = z.object({
    [api.itemParam]: z.string().max(36),
    data: dataParam,
    permissions: permissionsParam.nullable().optional(),
    transactionId: z.string().optional(),
  });
  const updateBody = z.object({ data: dataParam.optional(), permissions: permissionsParam.nullable().optional(), transactionId: z.string().optional() });
  type Params = Record<string, string>;
  type Body = Record<string, any>;
  const ids = (params: Params) => ({ databaseId: params.databaseId!, collectionId: params[api.containerParam]! });
  const itemIds = (params: Params) => ({ ...ids(params), documentId: params[api.itemParam]! });

  app.get<{ Params: Params; Querystring: z.infer<typeof listQuery> }>(
    itemsPath,
    { config: read, schema: { params: containerParams, querystring: listQuery } },
    async (request) => listDocuments(deps, request.ctx.projectId, api, databaseCaller(request), ids(request.params), request.query),
  );
  app.post<{ Params: Params; Body: Body }>(itemsPath, { config: write, schema: { params: containerParams, body: createBody } }, async (request, reply) => {
    const body = request.body;
    const model = await createDocument(deps, request.ctx.projectId, api, databaseCaller(request), ids(request.params), {
      documentId: body[api.itemParam],
      data: body.data,
      permissions: body.permissions ?? null,
    });
    return reply.code(201).send(model);
  });
  app.get<{ Params: Params; Querystring: z.infer<typeof getQuery> }>(
    onePath,
    { config: read, schema: { params: itemParams, querystring: getQuery } },
    async (request) => getDocument(deps, request.ctx.projectId, api, databaseCaller(request), itemIds(request.params), request.query.queries),
  );
  app.patch<{ Params: Params; Body: Body }>(onePath, { config: write, schema: { params: itemParams, body: updateBody } }, async (request) =>
    updateDocument(deps, request.ctx.projectId, api, databaseCaller(request), itemIds(request.params), {
      ...(request.body.data ? { data: request.body.data } : {}),
      permissions: request.body.permissions ?? null,
    }),
  );
  app.delete<{ Params: Params }>(onePath, { config: write, schema: { params: itemParams } }, async (request, reply) => {
    await deleteDocument(deps, request.ctx.projectId, api, databaseCaller(request), itemIds(request.params));
    return reply.code(204).send();
  });
}
