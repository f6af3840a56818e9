import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createFileToken, getFileToken, listFileTokens, removeFileToken, updateFileTokenExpiry } from './file-tokens.js';

const read = { scope: 'tokens.read' };
const write = { scope: 'tokens.write' };

const fileParams = z.object({ bucketId: z.string().max(36), fileId: z.string().max(36) });
const tokenParams = z.object({ tokenId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, total: totalParam });
const expireBody = z.object({ expire: z.string().max(64).nullable().optional() });

/** The `tokens` service: time-limited links to single files, managed with API keys. */
export function tokensRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/tokens/buckets/:bucketId/files/:fileId',
      { config: read, schema: { params: fileParams, querystring: listQuery } },
      async (request) => listFileTokens(deps, request.ctx.projectId, { ...request.params, ...request.query }),
    );

    app.post(
      '/tokens/buckets/:bucketId/files/:fileId',
      { config: write, schema: { params: fileParams, body: expireBody } },
      async (request, reply) => reply.code(201).send(await createFileToken(deps, request.ctx.projectId, { ...request.params, expire: request.body.expire })),
    );

    app.get('/tokens/:tokenId', { config: read, schema: { params: tokenParams } }, async (request) =>
      getFileToken(deps, request.ctx.projectId, request.params.tokenId),
    );

    app.patch(
      '/tokens/:tokenId',
      { config: write, schema: { params: tokenParams, body: expireBody } },
      async (request) => updateFileTokenExpiry(deps, request.ctx.projectId, request.params.tokenId, request.body.expire),
    );

    app.delete('/tokens/:tokenId', { config: write, schema: { params: tokenParams } }, async (request, reply) => {
      await removeFileToken(deps, request.ctx.projectId, request.params.tokenId);
      return reply.code(204).send();
    });
  };
}
