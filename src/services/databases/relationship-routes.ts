import type { RouteApp } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { apiRouteScopes } from './route-scopes.js';
import { createRelationshipAttribute, RELATION_ON_DELETE, RELATION_TYPES, updateRelationshipAttribute } from './relationship-attributes.js';
import { pathId } from './route-params.js';

const keyParam = z.string().min(1).max(255);

/**
 * Relationship attributes (columns): create and update. Reading and deleting them share the
 * routes of every attribute. The legacy update path names the type before the key, TablesDB after.
 */
export function registerRelationshipRoutes(app: RouteApp, deps: ServiceDeps, api: ApiNames): void {
  const write = apiRouteScopes(api).fieldWrite;
  const fieldsPath = `${api.prefix}/:databaseId/${api.containers}/:${api.containerParam}/${api.fields}`;
  const relatedParam = api.kind === 'legacy' ? 'relatedCollectionId' : 'relatedTableId';
  const params = z.object({ databaseId: pathId, [api.containerParam]: pathId });
  const keyParams = params.extend({ key: keyParam });
  const createBody = z.object({
    [relatedParam]: z.string().min(1).max(36),
    type: z.enum(RELATION_TYPES),
    twoWay: z.boolean().optional(),
    key: keyParam.nullable().optional(),
    twoWayKey: keyParam.nullable().optional(),
    onDelete: z.enum(RELATION_ON_DELETE).optional(),
  });
  const updateBody = z
    .object({ onDelete: z.enum(RELATION_ON_DELETE).nullable().optional(), newKey: keyParam.nullable().optional() })
    .optional();
  type Params = Record<string, string>;
  // Bodies keyed by the API's vocabulary (computed keys) infer as index signatures the handlers
  // cannot read field by field: the routes that read them name their types (all of them, since
  // TypeScript infers none of a call's type arguments once one is given).
  type Body = Record<string, any>;
  const ids = (p: Params) => ({ databaseId: p.databaseId!, collectionId: p[api.containerParam]! });

  app.post<{ Params: Params; Body: Body }>(`${fieldsPath}/relationship`, { config: write, schema: { params, body: createBody } }, async (request, reply) => {
    const body = request.body;
    const model = await createRelationshipAttribute(deps, request.ctx.projectId, api, ids(request.params), {
      relatedCollectionId: body[relatedParam],
      type: body.type,
      ...(body.twoWay !== undefined ? { twoWay: body.twoWay } : {}),
      ...(body.key != null ? { key: body.key } : {}),
      ...(body.twoWayKey != null ? { twoWayKey: body.twoWayKey } : {}),
      ...(body.onDelete !== undefined ? { onDelete: body.onDelete } : {}),
    });
    return reply.code(202).send(model);
  });
  const updatePath = api.kind === 'legacy' ? `${fieldsPath}/relationship/:key` : `${fieldsPath}/:key/relationship`;
  app.patch(updatePath, { config: write, schema: { params: keyParams, body: updateBody } }, async (request) =>
    updateRelationshipAttribute(deps, request.ctx.projectId, api, ids(request.params), request.params.key!, {
      onDelete: request.body?.onDelete ?? null,
      newKey: request.body?.newKey ?? null,
    }),
  );
}
