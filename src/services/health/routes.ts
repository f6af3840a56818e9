import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { QueueName } from '../../core/job-queue.js';
import type { ServiceDeps } from '../deps.js';
import { getCertificateHealth } from './certificate.js';
import {
  getAntivirusHealth,
  getCacheHealth,
  getDatabaseHealth,
  getHttpHealth,
  getLocalStorageHealth,
  getPubSubHealth,
  getTimeHealth,
} from './health.js';
import { DEFAULT_QUEUE_THRESHOLD, getQueueSize, SPEC_QUEUE_NAMES } from './queues.js';

const read = { scope: 'health.read' };

// Digits only: coercing would read an empty value as 0 and fail the check instead of the request.
const thresholdQuery = z.object({
  threshold: z
    .string()
    .regex(/^[0-9]{1,15}$/, 'Value must be a valid integer')
    .transform(Number)
    .default(DEFAULT_QUEUE_THRESHOLD),
});

const failedParams = z.object({
  name: z.enum(Object.keys(SPEC_QUEUE_NAMES) as [string, ...string[]]),
});

/** Queues with a route of their own, `/health/queue/<name>`, as the spec lists them. */
const QUEUE_ROUTES: readonly QueueName[] = [
  'audits',
  'builds',
  'certificates',
  'databases',
  'deletes',
  'functions',
  'logs',
  'mails',
  'messaging',
  'migrations',
  'stats-resources',
  'stats-usage',
  'webhooks',
];

export function healthRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/health', { config: read }, async () => getHttpHealth());
    app.get('/health/version', { config: { scope: 'public', withoutProject: true } }, async () => ({ version: deps.apiVersion }));
    // The SDKs' `client.ping()`, which starter apps call to check their endpoint and project.
    app.get('/ping', { config: { scope: 'public' } }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send('Pong!'));
    app.get('/health/db', { config: read }, async () => getDatabaseHealth(deps));
    app.get('/health/cache', { config: read }, async () => getCacheHealth());
    app.get('/health/pubsub', { config: read }, async () => getPubSubHealth());
    app.get('/health/time', { config: read }, async () => getTimeHealth(deps));
    app.get('/health/storage', { config: read }, async () => getLocalStorageHealth(deps, 'storage'));
    app.get('/health/storage/local', { config: read }, async () => getLocalStorageHealth(deps, 'local'));
    app.get('/health/anti-virus', { config: read }, async () => getAntivirusHealth());
    app.get(
      '/health/certificate',
      { config: read, schema: { querystring: z.object({ domain: z.string().min(1).max(256) }) } },
      async (request) => getCertificateHealth(request.query.domain),
    );

    for (const queue of QUEUE_ROUTES) {
      app.get(
        `/health/queue/${queue}`,
        { config: read, schema: { querystring: thresholdQuery } },
        async (request) => getQueueSize(deps, queue, request.query.threshold),
      );
    }
    app.get(
      '/health/queue/failed/:name',
      { config: read, schema: { params: failedParams, querystring: thresholdQuery } },
      async (request) => getQueueSize(deps, SPEC_QUEUE_NAMES[request.params.name] as QueueName, request.query.threshold, 'failed'),
    );
  };
}
