import type { FastifyRequest } from 'fastify';
import type { RouteApp } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { apiRouteScopes } from './route-scopes.js';
import { createDocument, deleteDocument, getDocument, listDocuments, updateDocument } from './documents.js';
import { AppError } from '../../core/errors.js';
import { createDocuments, deleteDocumentsByQuery, updateDocumentsByQuery, upsertDocuments } from './document-bulk.js';
import { adjustDocumentNumber } from './document-counters.js';
import { upsertDocument } from './document-upsert.js';
import { pathId, permissionsParam, requestTimestamp } from './route-params.js';
import { stageWrite } from './transactions-staging.js';

// Only the shape is checked here, in constant time: the fields are checked against the collection
// once it is found and the caller may write to it, so a refused caller costs no per-field work.
const dataParam = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'Value must be a valid JSON object',
);

/** Documents (rows) of one API's vocabulary. */
export function registerDocumentRoutes(app: RouteApp, deps: ServiceDeps, api: ApiNames): void {
  const { itemRead: read, itemWrite: write } = apiRouteScopes(api);
  const itemsPath = `${api.prefix}/:databaseId/${api.containers}/:${api.containerParam}/${api.items}`;
  const onePath = `${itemsPath}/:${api.itemParam}`;
  const containerParams = z.object({ databaseId: pathId, [api.containerParam]: pathId });
  const itemParams = containerParams.extend({ [api.itemParam]: pathId });
  const listQuery = z.object({ queries: queriesParam, total: totalParam, transactionId: z.string().optional(), ttl: z.coerce.number().int().min(0).max(86400).default(0) });
  const getQuery = z.object({ queries: queriesParam, transactionId: z.string().optional() });
  const itemsParam = z.array(dataParam).max(1000);
  // One document (id + data) or, with an API key, an array of them.
  const createBody = z.object({
    [api.itemParam]: z.string().max(36).optional(),
    data: dataParam.optional(),
    [api.items]: itemsParam.optional(),
    permissions: permissionsParam.nullable().optional(),
    transactionId: z.string().optional(),
  });
  const updateBody = z.object({ data: dataParam.optional(), permissions: permissionsParam.nullable().optional(), transactionId: z.string().optional() });
  type Params = Record<string, string>;
  // Bodies keyed by the API's vocabulary (computed keys) infer as index signatures the handlers
  // cannot read field by field: the routes that read them name their types (all of them, since
  // TypeScript infers none of a call's type arguments once one is given).
  type Body = Record<string, any>;
  const ids = (params: Params) => ({ databaseId: params.databaseId!, collectionId: params[api.containerParam]! });
  const itemIds = (params: Params) => ({ ...ids(params), documentId: params[api.itemParam]! });
  // A write that names a transaction is staged in it, not applied.
  const stage = (request: FastifyRequest, action: string, documentId: string | null, data: unknown) =>
    stageWrite(deps, request.ctx.projectId, api, request.ctx.caller, (request.body as Body).transactionId, { action, ...ids(request.params as Params), documentId, data });

  app.get(
    itemsPath,
    { config: read, schema: { params: containerParams, querystring: listQuery } },
    async (request, reply) => {
      const { value, hit } = await listDocuments(deps, request.ctx.projectId, api, request.ctx.caller, ids(request.params), request.query);
      // A list asked with a `ttl` says whether its answer was cached, as Appwrite does.
      if (hit !== undefined) void reply.header('X-Appwrite-Cache', hit ? 'hit' : 'miss');
      return value;
    },
  );
  app.post<{ Params: Params; Body: Body }>(itemsPath, { config: write, schema: { params: containerParams, body: createBody } }, async (request, reply) => {
    const body = request.body;
    const caller = request.ctx.caller;
    if (body.transactionId) {
      const staged = body[api.items] ? stage(request, 'bulkCreate', null, body[api.items]) : stage(request, 'create', body[api.itemParam] ?? '', { ...body.data, $permissions: body.permissions ?? null });
      return reply.code(201).send(await staged);
    }
    if (body[api.items]) return reply.code(201).send(await createDocuments(deps, request.ctx.projectId, api, caller, ids(request.params), body[api.items]));
    if (body[api.itemParam] === undefined || body.data === undefined) {
      throw new AppError('general_argument_invalid', `Param "${body[api.itemParam] === undefined ? api.itemParam : 'data'}" is not optional.`);
    }
    const model = await createDocument(deps, request.ctx.projectId, api, caller, ids(request.params), {
      documentId: body[api.itemParam],
      data: body.data,
      permissions: body.permissions ?? null,
    });
    return reply.code(201).send(model);
  });
  app.put<{ Params: Params; Body: Body }>(
    itemsPath,
    { config: write, schema: { params: containerParams, body: z.object({ [api.items]: itemsParam, transactionId: z.string().optional() }) } },
    // 200, staged or not: Appwrite's bulk upsert sets no other status, whatever its spec says.
    async (request) => {
      if (request.body.transactionId) return stage(request, 'bulkUpsert', null, request.body[api.items]);
      return upsertDocuments(deps, request.ctx.projectId, api, request.ctx.caller, ids(request.params), request.body[api.items]);
    },
  );
  app.patch(
    itemsPath,
    { config: write, schema: { params: containerParams, body: z.object({ data: dataParam.optional(), queries: queriesParam, transactionId: z.string().optional() }).optional() } },
    async (request) => {
      if (request.body?.transactionId) return stage(request, 'bulkUpdate', null, { data: request.body.data ?? {}, queries: request.body.queries ?? [] });
      return updateDocumentsByQuery(deps, request.ctx.projectId, api, request.ctx.caller, ids(request.params), {
        data: request.body?.data ?? {},
        queries: request.body?.queries ?? [],
      });
    },
  );
  app.delete(
    itemsPath,
    { config: write, schema: { params: containerParams, body: z.object({ queries: queriesParam, transactionId: z.string().optional() }).optional() } },
    async (request) => {
      if (request.body?.transactionId) return stage(request, 'bulkDelete', null, { queries: request.body.queries ?? [] });
      return deleteDocumentsByQuery(deps, request.ctx.projectId, api, request.ctx.caller, ids(request.params), request.body?.queries ?? []);
    },
  );
  app.get(
    onePath,
    { config: read, schema: { params: itemParams, querystring: getQuery } },
    async (request) => getDocument(deps, request.ctx.projectId, api, request.ctx.caller, itemIds(request.params), request.query.queries),
  );
  const changeOf = (body: Body) => ({ ...body.data, ...(body.permissions ? { $permissions: body.permissions } : {}) });
  app.patch(onePath, { config: write, schema: { params: itemParams, body: updateBody } }, async (request) => {
    if (request.body.transactionId) return stage(request, 'update', request.params[api.itemParam]!, changeOf(request.body));
    return updateDocument(deps, request.ctx.projectId, api, request.ctx.caller, itemIds(request.params), {
      ...(request.body.data ? { data: request.body.data } : {}),
      permissions: request.body.permissions ?? null,
      unchangedSince: requestTimestamp(request),
    });
  });
  // As Appwrite answers: 201 for a staged upsert, 200 for one done at once (created or updated).
  app.put(onePath, { config: write, schema: { params: itemParams, body: updateBody } }, async (request, reply) => {
    if (request.body.transactionId) return reply.code(201).send(await stage(request, 'upsert', request.params[api.itemParam]!, changeOf(request.body)));
    const { model } = await upsertDocument(deps, request.ctx.projectId, api, request.ctx.caller, itemIds(request.params), {
      data: request.body.data ?? {},
      permissions: request.body.permissions ?? null,
      unchangedSince: requestTimestamp(request),
    });
    return model;
  });
  const fieldParam = api.kind === 'legacy' ? 'attribute' : 'column';
  // Steps and bounds of bigint columns arrive past 2^53 as BigInt (see core/exact-json).
  const exactNumber = z.union([z.number(), z.bigint()]);
  for (const direction of ['increment', 'decrement'] as const) {
    const boundKey = direction === 'increment' ? 'max' : 'min';
    const counterBody = z
      .object({ value: exactNumber.optional(), [boundKey]: exactNumber.nullable().optional(), transactionId: z.string().optional() })
      .optional();
    app.patch<{ Params: Params; Body: Body | undefined }>(
      `${onePath}/:${fieldParam}/${direction}`,
      { config: write, schema: { params: itemParams.extend({ [fieldParam]: z.string().min(1).max(255) }), body: counterBody } },
      async (request) => {
        if (request.body?.transactionId) {
          return stage(request, direction, request.params[api.itemParam]!, { [fieldParam]: request.params[fieldParam], value: request.body.value, [boundKey]: request.body[boundKey] });
        }
        return adjustDocumentNumber(deps, request.ctx.projectId, api, request.ctx.caller, { ...itemIds(request.params), attribute: request.params[fieldParam]! }, {
          direction,
          value: request.body?.value ?? undefined,
          bound: request.body?.[boundKey] ?? undefined,
        });
      },
    );
  }
  const deleteBody = z.object({ transactionId: z.string().optional() }).optional();
  app.delete(onePath, { config: write, schema: { params: itemParams, body: deleteBody } }, async (request, reply) => {
    if (request.body?.transactionId) {
      await stage(request, 'delete', request.params[api.itemParam]!, {});
      return reply.code(204).send();
    }
    await deleteDocument(deps, request.ctx.projectId, api, request.ctx.caller, itemIds(request.params), { unchangedSince: requestTimestamp(request) });
    return reply.code(204).send();
  });
}
