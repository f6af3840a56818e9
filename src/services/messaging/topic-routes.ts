import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { listResourceLog, recordChange } from './audit.js';
import { createSubscriber, deleteSubscriber, getSubscriber, listSubscribers, requireAnySubscriber } from './subscribers.js';
import { createTopic, deleteTopic, getTopic, listTopics, updateTopic } from './topics.js';

const topicsRead = { scope: 'topics.read' };
const topicsWrite = { scope: 'topics.write' };
const subscribersRead = { scope: 'subscribers.read' };
const subscribersWrite = { scope: 'subscribers.write' };

/** Roles as permissions name them: `any`, `users`, `user:ID`, `team:ID/role`, `label:x` … */
const rolesParam = z.array(z.string().max(128)).max(100);
const topicParams = z.object({ topicId: z.string().max(36) });
const subscriberParams = z.object({ topicId: z.string().max(36), subscriberId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const logsQuery = z.object({ queries: queriesParam, total: totalParam });
const createTopicBody = z.object({ topicId: z.string().max(36), name: z.string().min(1).max(128), subscribe: rolesParam.optional() });
const updateTopicBody = z.object({ name: z.string().min(1).max(128).optional(), subscribe: rolesParam.optional() });
const createSubscriberBody = z.object({ subscriberId: z.string().max(36), targetId: z.string().max(36) });

/** Topics and their subscribers; users subscribe and unsubscribe their own targets. */
export function topicRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/messaging/topics', { config: topicsRead, schema: { querystring: listQuery } }, async (request) =>
      listTopics(deps, request.ctx.projectId, request.query),
    );

    app.post('/messaging/topics', { config: topicsWrite, schema: { body: createTopicBody } }, async (request, reply) => {
      const topic = await createTopic(deps, request.ctx.projectId, request.body);
      await recordChange(deps, request, 'topic.create', `topic/${topic.$id}`);
      return reply.code(201).send(topic);
    });

    app.get('/messaging/topics/:topicId', { config: topicsRead, schema: { params: topicParams } }, async (request) =>
      getTopic(deps, request.ctx.projectId, request.params.topicId),
    );

    app.patch(
      '/messaging/topics/:topicId',
      { config: topicsWrite, schema: { params: topicParams, body: updateTopicBody } },
      async (request) => {
        const topic = await updateTopic(deps, request.ctx.projectId, request.params.topicId, request.body ?? {});
        await recordChange(deps, request, 'topic.update', `topic/${topic.$id}`);
        return topic;
      },
    );

    app.delete('/messaging/topics/:topicId', { config: topicsWrite, schema: { params: topicParams } }, async (request, reply) => {
      await deleteTopic(deps, request.ctx.projectId, request.params.topicId);
      await recordChange(deps, request, 'topic.delete', `topic/${request.params.topicId}`);
      return reply.code(204).send();
    });

    app.get(
      '/messaging/topics/:topicId/logs',
      { config: topicsRead, schema: { params: topicParams, querystring: logsQuery } },
      async (request) => {
        await getTopic(deps, request.ctx.projectId, request.params.topicId);
        return listResourceLog(deps, request.ctx.projectId, `topic/${request.params.topicId}`, request.query);
      },
    );

    app.get(
      '/messaging/topics/:topicId/subscribers',
      { config: subscribersRead, schema: { params: topicParams, querystring: listQuery } },
      async (request) => listSubscribers(deps, request.ctx.projectId, request.params.topicId, request.query),
    );

    app.post(
      '/messaging/topics/:topicId/subscribers',
      { config: subscribersWrite, schema: { params: topicParams, body: createSubscriberBody } },
      async (request, reply) => {
        const subscriber = await createSubscriber(deps, request.ctx.projectId, request.ctx.caller, { topicId: request.params.topicId, ...request.body });
        await recordChange(deps, request, 'subscriber.create', `subscriber/${subscriber.$id}`);
        return reply.code(201).send(subscriber);
      },
    );

    app.get(
      '/messaging/topics/:topicId/subscribers/:subscriberId',
      { config: subscribersRead, schema: { params: subscriberParams } },
      async (request) => getSubscriber(deps, request.ctx.projectId, request.params.topicId, request.params.subscriberId),
    );

    app.delete(
      '/messaging/topics/:topicId/subscribers/:subscriberId',
      { config: subscribersWrite, schema: { params: subscriberParams } },
      async (request, reply) => {
        await deleteSubscriber(deps, request.ctx.projectId, request.ctx.caller, request.params.topicId, request.params.subscriberId);
        await recordChange(deps, request, 'subscriber.delete', `subscriber/${request.params.subscriberId}`);
        return reply.code(204).send();
      },
    );

    app.get(
      '/messaging/subscribers/:subscriberId/logs',
      { config: subscribersRead, schema: { params: z.object({ subscriberId: z.string().max(36) }), querystring: logsQuery } },
      async (request) => {
        await requireAnySubscriber(deps, request.ctx.projectId, request.params.subscriberId);
        return listResourceLog(deps, request.ctx.projectId, `subscriber/${request.params.subscriberId}`, request.query);
      },
    );
  };
}
