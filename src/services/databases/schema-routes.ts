import type { RouteApp } from '../../http/typed-routes.js';
import { z } from 'zod';
import { checkGeometry, type GeometryType } from '../../core/geometry.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { apiRouteScopes } from './route-scopes.js';
import { createAttribute, deleteAttribute, getAttribute, listAttributes, updateAttribute, ATTRIBUTE_ROUTE_TYPES, type AttributeRouteType } from './attributes.js';
import { createCollection, deleteCollection, getCollection, listCollections, updateCollection } from './collections.js';
import { createDatabase, deleteDatabase, getDatabase, listDatabases, updateDatabase } from './databases.js';
import { createIndex, deleteIndex, getIndex, INDEX_TYPES, listIndexes } from './indexes.js';
import { nameParam, pathId, permissionsParam } from './route-params.js';

const databaseRead = { scope: 'databases.read' };
const databaseWrite = { scope: 'databases.write' };

const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).optional(), total: totalParam });
const databaseParams = z.object({ databaseId: pathId });
const databaseBody = z.object({ databaseId: z.string().max(36), name: nameParam, enabled: z.boolean().optional() });
const databaseUpdate = z.object({ name: nameParam.optional(), enabled: z.boolean().optional() });
const keyParam = z.string().min(1).max(255);
const nullableNumber = z.number().nullable().optional().transform((v) => v ?? undefined);
/** A 64-bit integer: a number, or a BigInt when the JSON held more digits than a number keeps. */
const int64 = z.union([z.number().int(), z.bigint().min(-(2n ** 63n)).max(2n ** 63n - 1n)]);
const nullableInt64 = int64.nullable().optional().transform((v) => v ?? undefined);

/** A geo default as Appwrite checks it at the edge: the coordinate array of the type, or null. */
function geometryDefault(type: GeometryType) {
  return z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined || value === null) return;
      const checked = checkGeometry(type, value);
      if ('error' in checked) ctx.addIssue({ code: 'custom', message: checked.error });
    });
}

/** Create/update body of each attribute type: the shared fields plus the type's own. */
function attributeBody(type: AttributeRouteType, update: boolean) {
  const base = {
    required: z.boolean(),
    default: z.unknown().optional(),
    ...(update ? { newKey: keyParam.optional() } : { key: keyParam, array: z.boolean().optional() }),
  };
  switch (type) {
    case 'string':
      return z.object({ ...base, size: update ? z.number().int().optional() : z.number().int(), encrypt: z.boolean().optional() });
    case 'varchar':
      return z.object({ ...base, size: update ? nullableNumber.pipe(z.number().int().optional()) : z.number().int(), ...(update ? {} : { encrypt: z.boolean().optional() }) });
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return z.object({ ...base, ...(update ? {} : { encrypt: z.boolean().optional() }) });
    case 'integer':
    case 'bigint':
      // Bounds are kept apart from min/max, whose column would round them past 2^53.
      return z
        .object({ ...base, min: nullableInt64, max: nullableInt64, default: int64.nullable().optional() })
        .transform(({ min, max, ...rest }) => ({ ...rest, bigintMin: min, bigintMax: max }));
    case 'float':
      return z.object({ ...base, min: nullableNumber, max: nullableNumber });
    case 'enum':
      return z.object({ ...base, elements: z.array(z.string().max(255)).max(100) });
    case 'point':
    case 'line':
    case 'polygon': {
      // Geo attributes are never arrays: the coordinate array is the value.
      const { array: _array, ...geo } = base as typeof base & { array?: unknown };
      return z.object({ ...geo, default: geometryDefault(type === 'line' ? 'linestring' : type) });
    }
    default:
      return z.object(base);
  }
}

/** Databases, collections (tables), attributes (columns) and indexes of one API's vocabulary. */
export function registerSchemaRoutes(app: RouteApp, deps: ServiceDeps, api: ApiNames): void {
  const { containerRead, containerWrite, fieldRead, fieldWrite, indexRead, indexWrite } = apiRouteScopes(api);
  const base = api.prefix;
  const containerPath = `${base}/:databaseId/${api.containers}`;
  const oneContainer = `${containerPath}/:${api.containerParam}`;
  const containerParams = z.object({ databaseId: pathId, [api.containerParam]: pathId });
  const ids = (params: Record<string, string>) => ({ databaseId: params.databaseId!, collectionId: params[api.containerParam]! });
  const collectionBody = z.object({
    [api.containerParam]: z.string().max(36),
    name: nameParam,
    permissions: permissionsParam.nullable().optional(),
    [api.security]: z.boolean().optional(),
    enabled: z.boolean().optional(),
  });
  const collectionUpdate = z.object({
    name: nameParam.optional(),
    permissions: permissionsParam.nullable().optional(),
    [api.security]: z.boolean().optional(),
    enabled: z.boolean().optional(),
    purge: z.boolean().optional(),
  });
  // Bodies keyed by the API's vocabulary (computed keys) infer as index signatures the handlers
  // cannot read field by field: the routes that read them name their types (all of them, since
  // TypeScript infers none of a call's type arguments once one is given).
  type Body = Record<string, any>;
  type Params = Record<string, string>;

  app.get(base, { config: databaseRead, schema: { querystring: listQuery } }, async (request) => {
    const { databases, total } = await listDatabases(deps, request.ctx.projectId, request.query);
    return { total, databases };
  });
  app.post(base, { config: databaseWrite, schema: { body: databaseBody } }, async (request, reply) =>
    reply.code(201).send(await createDatabase(deps, request.ctx.projectId, api, request.body)),
  );
  app.get(`${base}/:databaseId`, { config: databaseRead, schema: { params: databaseParams } }, async (request) =>
    getDatabase(deps, request.ctx.projectId, request.params.databaseId),
  );
  app.put(
    `${base}/:databaseId`,
    { config: databaseWrite, schema: { params: databaseParams, body: databaseUpdate } },
    async (request) => updateDatabase(deps, request.ctx.projectId, request.params.databaseId, request.body),
  );
  app.delete(`${base}/:databaseId`, { config: databaseWrite, schema: { params: databaseParams } }, async (request, reply) => {
    await deleteDatabase(deps, request.ctx.projectId, request.params.databaseId);
    return reply.code(204).send();
  });

  app.get(
    containerPath,
    { config: containerRead, schema: { params: databaseParams, querystring: listQuery } },
    async (request) => listCollections(deps, request.ctx.projectId, api, request.params.databaseId, request.query),
  );
  app.post<{ Params: z.infer<typeof databaseParams>; Body: Body }>(
    containerPath,
    { config: containerWrite, schema: { params: databaseParams, body: collectionBody } },
    async (request, reply) => {
      const body = request.body;
      const model = await createCollection(deps, request.ctx.projectId, api, request.params.databaseId, {
        collectionId: body[api.containerParam],
        name: body.name,
        ...(body.permissions ? { permissions: body.permissions } : {}),
        ...(body[api.security] !== undefined ? { documentSecurity: body[api.security] } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      });
      return reply.code(201).send(model);
    },
  );
  app.get(oneContainer, { config: containerRead, schema: { params: containerParams } }, async (request) =>
    getCollection(deps, request.ctx.projectId, api, ids(request.params)),
  );
  app.put<{ Params: Params; Body: Body }>(oneContainer, { config: containerWrite, schema: { params: containerParams, body: collectionUpdate } }, async (request) => {
    const body = request.body;
    return updateCollection(deps, request.ctx.projectId, api, ids(request.params), {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.permissions != null ? { permissions: body.permissions } : {}),
      ...(body[api.security] !== undefined ? { documentSecurity: body[api.security] } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      ...(body.purge === true ? { purge: true } : {}),
    });
  });
  app.delete(oneContainer, { config: containerWrite, schema: { params: containerParams } }, async (request, reply) => {
    await deleteCollection(deps, request.ctx.projectId, api, ids(request.params));
    return reply.code(204).send();
  });

  const fieldsPath = `${oneContainer}/${api.fields}`;
  const fieldParams = containerParams.extend({ key: keyParam });
  app.get(
    fieldsPath,
    { config: fieldRead, schema: { params: containerParams, querystring: listQuery } },
    async (request) => listAttributes(deps, request.ctx.projectId, api, ids(request.params), request.query),
  );
  for (const type of ATTRIBUTE_ROUTE_TYPES) {
    app.post<{ Params: Params; Body: Body }>(
      `${fieldsPath}/${type}`,
      { config: fieldWrite, schema: { params: containerParams, body: attributeBody(type, false) } },
      async (request, reply) => {
        const { key, ...input } = request.body;
        return reply.code(202).send(await createAttribute(deps, request.ctx.projectId, api, ids(request.params), type, key, input as never));
      },
    );
    app.patch(
      `${fieldsPath}/${type}/:key`,
      { config: fieldWrite, schema: { params: fieldParams, body: attributeBody(type, true) } },
      async (request) => updateAttribute(deps, request.ctx.projectId, api, ids(request.params), type, request.params.key!, request.body as never),
    );
  }
  app.get(`${fieldsPath}/:key`, { config: fieldRead, schema: { params: fieldParams } }, async (request) =>
    getAttribute(deps, request.ctx.projectId, api, ids(request.params), request.params.key!),
  );
  app.delete(`${fieldsPath}/:key`, { config: fieldWrite, schema: { params: fieldParams } }, async (request, reply) => {
    await deleteAttribute(deps, request.ctx.projectId, api, ids(request.params), request.params.key!);
    return reply.code(204).send();
  });

  const indexesPath = `${oneContainer}/indexes`;
  const indexBody = z.object({
    key: keyParam,
    type: z.enum(INDEX_TYPES),
    [api.fields]: z.array(z.string().max(255)).max(100),
    orders: z.array(z.string().max(4)).max(100).optional(),
    lengths: z.array(z.number().int().nullable()).max(100).optional(),
  });
  app.get(
    indexesPath,
    { config: indexRead, schema: { params: containerParams, querystring: listQuery } },
    async (request) => listIndexes(deps, request.ctx.projectId, api, ids(request.params), request.query),
  );
  app.post<{ Params: Params; Body: Body }>(indexesPath, { config: indexWrite, schema: { params: containerParams, body: indexBody } }, async (request, reply) => {
    const body = request.body;
    const model = await createIndex(deps, request.ctx.projectId, api, ids(request.params), {
      key: body.key,
      type: body.type,
      attributes: body[api.fields],
      ...(body.orders ? { orders: body.orders } : {}),
      ...(body.lengths ? { lengths: body.lengths } : {}),
    });
    return reply.code(202).send(model);
  });
  app.get(`${indexesPath}/:key`, { config: indexRead, schema: { params: fieldParams } }, async (request) =>
    getIndex(deps, request.ctx.projectId, api, ids(request.params), request.params.key!),
  );
  app.delete(`${indexesPath}/:key`, { config: indexWrite, schema: { params: fieldParams } }, async (request, reply) => {
    await deleteIndex(deps, request.ctx.projectId, api, ids(request.params), request.params.key!);
    return reply.code(204).send();
  });
}
