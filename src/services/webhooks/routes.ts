import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook, updateWebhookSecret } from './webhooks.js';

const read = { scope: 'webhooks.read' };
const write = { scope: 'webhooks.write' };

const text = z.string({ error: 'Value must be a valid string' });
const flag = z.boolean({ error: 'Value must be a valid boolean' }).optional();
const fields = {
  name: text,
  url: z.string({ error: 'Value must be a valid URL with following schemes (http, https)' }),
  events: z.array(z.string({ error: 'Value must be a valid string' }), { error: 'Value must be a valid array' }),
  enabled: flag,
  tls: flag,
  authUsername: text.optional(),
  authPassword: text.optional(),
};
const secret = text.nullable().optional();

const webhookParams = z.object({ webhookId: z.string() });
const createBody = z.object({ webhookId: text, ...fields, secret });
const updateBody = z.object(fields);
const secretBody = z.object({ secret });
const listQuery = z.object({ queries: queriesParam, total: totalParam });

/** The `webhooks` service: where a project's events are POSTed, signed. */
export function webhooksRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/webhooks', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listWebhooks(deps, request.ctx.projectId, request.query),
    );

    app.post('/webhooks', { config: write, schema: { body: createBody } }, async (request, reply) =>
      reply.code(201).send(await createWebhook(deps, request.ctx.projectId, request.body)),
    );

    app.get('/webhooks/:webhookId', { config: read, schema: { params: webhookParams } }, async (request) =>
      getWebhook(deps, request.ctx.projectId, request.params.webhookId),
    );

    app.put(
      '/webhooks/:webhookId',
      { config: write, schema: { params: webhookParams, body: updateBody } },
      async (request) => updateWebhook(deps, request.ctx.projectId, request.params.webhookId, request.body),
    );

    app.patch(
      '/webhooks/:webhookId/secret',
      { config: write, schema: { params: webhookParams, body: secretBody } },
      async (request) => updateWebhookSecret(deps, request.ctx.projectId, request.params.webhookId, request.body.secret),
    );

    app.delete('/webhooks/:webhookId', { config: write, schema: { params: webhookParams } }, async (request, reply) => {
      await deleteWebhook(deps, request.ctx.projectId, request.params.webhookId);
      return reply.code(204).send();
    });
  };
}
