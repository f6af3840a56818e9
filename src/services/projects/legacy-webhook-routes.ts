import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { inPathProject } from '../../http/console-gate.js';
import { totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createWebhook, deleteWebhook, getWebhook, listProjectWebhooks, toWebhookModelV18, updateWebhook, updateWebhookSecret, type WebhookModel } from '../webhooks/index.js';
import { projectParams } from './legacy-access.js';

const read = inPathProject('webhooks.read');
const write = inPathProject('webhooks.write');

const text = z.string({ error: 'Value must be a valid string' });
const flag = z.boolean({ error: 'Value must be a valid boolean' });
// 1.8's names: `security` for TLS verification, `httpUser`/`httpPass` for basic auth.
const webhookBody = z.object({
  name: text,
  url: z.string({ error: 'Value must be a valid URL with following schemes (http, https)' }),
  events: z.array(text, { error: 'Value must be a valid array' }),
  security: flag,
  enabled: flag.optional(),
  httpUser: text.optional(),
  httpPass: text.optional(),
});
type WebhookBody = z.infer<typeof webhookBody>;
const webhookParams = projectParams.extend({ webhookId: z.string() });
const listQuerystring = z.object({ total: totalParam });

function fieldsOf(body: WebhookBody) {
  return { name: body.name, url: body.url, events: body.events, enabled: body.enabled, tls: body.security, authUsername: body.httpUser, authPassword: body.httpPass };
}

async function v18(model: Promise<WebhookModel>) {
  return toWebhookModelV18(await model);
}

/**
 * The 1.8-era webhook routes under `/projects/{projectId}/` (see `legacy-access.ts`): the
 * `webhooks` service's, with 1.8's field names in bodies and answers. As today, the signature
 * key is shown on creation and on a new signature only.
 */
export function legacyWebhookRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/projects/:projectId/webhooks',
      { config: read, schema: { params: projectParams, querystring: listQuerystring } },
      async (request) => {
        // 1.8 lists them all, without queries.
        const webhooks = await listProjectWebhooks(deps, request.params.projectId);
        return { total: request.query.total ? webhooks.length : 0, webhooks: webhooks.map(toWebhookModelV18) };
      },
    );
    app.post(
      '/projects/:projectId/webhooks',
      { config: write, schema: { params: projectParams, body: webhookBody } },
      async (request, reply) => reply.code(201).send(await v18(createWebhook(deps, request.params.projectId, { webhookId: 'unique()', ...fieldsOf(request.body) }))),
    );
    app.get('/projects/:projectId/webhooks/:webhookId', { config: read, schema: { params: webhookParams } }, async (request) =>
      v18(getWebhook(deps, request.params.projectId, request.params.webhookId)),
    );
    app.put(
      '/projects/:projectId/webhooks/:webhookId',
      { config: write, schema: { params: webhookParams, body: webhookBody } },
      async (request) => v18(updateWebhook(deps, request.params.projectId, request.params.webhookId, fieldsOf(request.body))),
    );
    app.patch('/projects/:projectId/webhooks/:webhookId/signature', { config: write, schema: { params: webhookParams } }, async (request) =>
      v18(updateWebhookSecret(deps, request.params.projectId, request.params.webhookId, undefined)),
    );
    app.delete('/projects/:projectId/webhooks/:webhookId', { config: write, schema: { params: webhookParams } }, async (request, reply) => {
      await deleteWebhook(deps, request.params.projectId, request.params.webhookId);
      return reply.code(204).send();
    });
  };
}
