import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import {
  createEphemeralKey,
  createKey,
  deleteKey,
  EPHEMERAL_KEY_MAX_DURATION,
  getKey,
  listKeys,
  updateKey,
} from './keys.js';

const read = { scope: 'keys.read' };
const write = { scope: 'keys.write' };

const name = z.string({ error: 'Value must be a valid string' });
const scopes = z.array(z.string(), { error: 'Value must be a valid array' }).max(100, 'Value must a valid array no longer than 100 items');
const expire = z.string({ error: 'Value must be valid date in ISO 8601 format.' }).nullable().optional();

const keyParams = z.object({ keyId: z.string() });

const createBody = z.object({ keyId: z.string({ error: 'Value must be a valid string' }), name, scopes, expire });

const updateBody = z.object({ name, scopes, expire });

const ephemeralBody = z.object({
  scopes,
  duration: z
    .number({ error: 'Value must be a valid integer' })
    .int('Value must be a valid integer')
    .min(1, `Value must be a valid range between 1 and ${EPHEMERAL_KEY_MAX_DURATION}`)
    .max(EPHEMERAL_KEY_MAX_DURATION, `Value must be a valid range between 1 and ${EPHEMERAL_KEY_MAX_DURATION}`),
});

/** The SDK's `Query` strings and `total`, parsed against the key table in the service. */
export const keyListQuerystring = z.object({ queries: queriesParam, total: totalParam });

/** The project's API keys: list, create, read, update, delete, and short-lived ephemeral keys. */
export function keyRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/project/keys', { config: read, schema: { querystring: keyListQuerystring } }, async (request) =>
      listKeys(deps, request.ctx.projectId, request.query),
    );

    app.post('/project/keys', { config: write, schema: { body: createBody } }, async (request, reply) => {
      const { keyId, ...fields } = request.body;
      const key = await createKey(deps, { projectId: request.ctx.projectId, keyId, ...fields, grantable: request.ctx.caller.scopes });
      return reply.code(201).send(key);
    });

    app.post('/project/keys/ephemeral', { config: write, schema: { body: ephemeralBody } }, async (request, reply) => {
      const key = await createEphemeralKey(deps, request.ctx.projectId, {
        scopes: request.body.scopes,
        durationSeconds: request.body.duration,
        grantable: request.ctx.caller.scopes,
      });
      return reply.code(201).send(key);
    });

    app.get('/project/keys/:keyId', { config: read, schema: { params: keyParams } }, async (request) =>
      getKey(deps, request.ctx.projectId, request.params.keyId),
    );

    app.put(
      '/project/keys/:keyId',
      { config: write, schema: { params: keyParams, body: updateBody } },
      async (request) => updateKey(deps, request.ctx.projectId, request.params.keyId, { ...request.body, grantable: request.ctx.caller.scopes }),
    );

    app.delete('/project/keys/:keyId', { config: write, schema: { params: keyParams } }, async (request, reply) => {
      await deleteKey(deps, request.ctx.projectId, request.params.keyId);
      return reply.code(204).send();
    });
  };
}
