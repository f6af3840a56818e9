import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { listResourceLog, recordChange } from './audit.js';
import { createMessage, deleteMessage, getMessage, listMessageTargets, listMessages, updateMessage, type MessageInput } from './messages.js';
import type { Channel } from './provider-specs.js';

const read = { scope: 'messages.read' };
const write = { scope: 'messages.write' };

const ids = z.array(z.string().max(36)).max(100);
const audience = { topics: ids.optional(), users: ids.optional(), targets: ids.optional(), draft: z.boolean().optional(), scheduledAt: z.string().max(64).nullable().optional() };
const fileRef = z.string().regex(/^[A-Za-z0-9][\w.-]{0,35}:[A-Za-z0-9][\w.-]{0,35}$/, { error: 'Value must be a valid "bucketId:fileId" pair' });

/** Each channel's content fields; all optional here, the create schemas require what they need. */
const CONTENT = {
  email: {
    subject: z.string().max(998),
    content: z.string().max(64230),
    cc: ids,
    bcc: ids,
    attachments: z.array(fileRef).max(100),
    html: z.boolean(),
  },
  sms: { content: z.string().max(64230) },
  push: {
    title: z.string().max(256),
    body: z.string().max(64230),
    data: z.record(z.string(), z.unknown()),
    action: z.string().max(256),
    /** `bucketId:fileId`; an empty string clears it on update. */
    image: z.union([fileRef, z.literal('')]),
    icon: z.string().max(256),
    sound: z.string().max(256),
    color: z.string().max(256),
    tag: z.string().max(256),
    badge: z.number().int(),
    contentAvailable: z.boolean(),
    critical: z.boolean(),
    priority: z.enum(['normal', 'high']),
  },
} as const;
const REQUIRED: Record<Channel, readonly string[]> = { email: ['subject', 'content'], sms: ['content'], push: [] };

function bodies(channel: Channel) {
  const fields = CONTENT[channel] as Record<string, z.ZodType>;
  const optional = Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, schema.optional()]));
  const required = Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, REQUIRED[channel].includes(key) ? schema : schema.optional()]));
  return {
    create: z.object({ messageId: z.string().max(36), ...audience, ...required }),
    update: z.object({ ...audience, ...optional }),
    fields: Object.keys(fields),
  };
}

/** Splits a request body into who the message goes to and its channel's content. */
function messageInput(body: Record<string, unknown>, contentFields: readonly string[]): MessageInput {
  const data = Object.fromEntries(contentFields.filter((key) => body[key] !== undefined).map((key) => [key, body[key]]));
  const input: MessageInput = { data };
  for (const key of ['topics', 'users', 'targets'] as const) if (body[key] !== undefined) input[key] = body[key] as string[];
  if (body.draft !== undefined) input.draft = body.draft as boolean;
  if (body.scheduledAt !== undefined) input.scheduledAt = body.scheduledAt as string | null;
  return input;
}

const messageParams = z.object({ messageId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const logsQuery = z.object({ queries: queriesParam, total: totalParam });

/** Messages: email, SMS and push, sent now, scheduled, or kept as drafts. */
export function messageRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    const audit = (request: FastifyRequest, event: string, id: string) => recordChange(deps, request, `message.${event}`, `message/${id}`);

    for (const channel of ['email', 'sms', 'push'] as const) {
      const schema = bodies(channel);
      app.post(
        `/messaging/messages/${channel}`,
        { config: write, schema: { body: schema.create } },
        async (request, reply) => {
          const message = await createMessage(deps, request.ctx.projectId, channel, { messageId: request.body.messageId, ...messageInput(request.body, schema.fields) });
          await audit(request, 'create', message.$id);
          return reply.code(201).send(message);
        },
      );
      app.patch(
        `/messaging/messages/${channel}/:messageId`,
        { config: write, schema: { params: messageParams, body: schema.update } },
        async (request) => {
          const message = await updateMessage(deps, request.ctx.projectId, channel, request.params.messageId, messageInput(request.body ?? {}, schema.fields));
          await audit(request, 'update', message.$id);
          return message;
        },
      );
    }

    app.get('/messaging/messages', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listMessages(deps, request.ctx.projectId, request.query),
    );

    app.get('/messaging/messages/:messageId', { config: read, schema: { params: messageParams } }, async (request) =>
      getMessage(deps, request.ctx.projectId, request.params.messageId),
    );

    app.delete('/messaging/messages/:messageId', { config: write, schema: { params: messageParams } }, async (request, reply) => {
      await deleteMessage(deps, request.ctx.projectId, request.params.messageId);
      await audit(request, 'delete', request.params.messageId);
      return reply.code(204).send();
    });

    app.get(
      '/messaging/messages/:messageId/logs',
      { config: read, schema: { params: messageParams, querystring: logsQuery } },
      async (request) => {
        await getMessage(deps, request.ctx.projectId, request.params.messageId);
        return listResourceLog(deps, request.ctx.projectId, `message/${request.params.messageId}`, request.query);
      },
    );

    app.get(
      '/messaging/messages/:messageId/targets',
      { config: read, schema: { params: messageParams, querystring: logsQuery } },
      async (request) => listMessageTargets(deps, request.ctx.projectId, request.params.messageId),
    );
  };
}
