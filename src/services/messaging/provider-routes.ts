import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { listResourceLog, recordChange } from './audit.js';
import { PROVIDER_NAMES, PROVIDER_SPECS, type FieldKind, type ProviderName } from './provider-specs.js';
import { createProvider, deleteProvider, getProvider, listProviders, updateProvider } from './providers.js';

const read = { scope: 'providers.read' };
const write = { scope: 'providers.write' };

const FIELD: Record<FieldKind, z.ZodType> = {
  string: z.string().max(16384),
  email: z.union([z.email({ error: 'Value must be a valid email address' }), z.literal('')]),
  boolean: z.boolean(),
  integer: z.number().int().min(0).max(65535),
  json: z.union([z.record(z.string(), z.unknown()), z.string().max(65536)]),
  encryption: z.enum(['none', 'ssl', 'tls']),
  subject: z.string().max(2048).regex(/^(mailto:|https:\/\/)/, { error: 'Value must be a mailto: or https: URL' }),
};

function fieldsOf(provider: ProviderName): Record<string, z.ZodType> {
  const spec = PROVIDER_SPECS[provider];
  const all = { ...spec.credentials, ...spec.options } as Record<string, FieldKind>;
  return Object.fromEntries(Object.entries(all).map(([key, kind]) => [key, FIELD[kind].optional()]));
}

const providerParams = z.object({ providerId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const logsQuery = z.object({ queries: queriesParam, total: totalParam });

/** Providers: the accounts at email, SMS and push services a project sends through. */
export function providerRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    const audit = (request: FastifyRequest, event: string, id: string) => recordChange(deps, request, `provider.${event}`, `provider/${id}`);

    app.get('/messaging/providers', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listProviders(deps, request.ctx.projectId, request.query),
    );

    app.get('/messaging/providers/:providerId', { config: read, schema: { params: providerParams } }, async (request) =>
      getProvider(deps, request.ctx.projectId, request.params.providerId),
    );

    app.get(
      '/messaging/providers/:providerId/logs',
      { config: read, schema: { params: providerParams, querystring: logsQuery } },
      async (request) => {
        await getProvider(deps, request.ctx.projectId, request.params.providerId);
        return listResourceLog(deps, request.ctx.projectId, `provider/${request.params.providerId}`, request.query);
      },
    );

    app.delete(
      '/messaging/providers/:providerId',
      { config: write, schema: { params: providerParams } },
      async (request, reply) => {
        await deleteProvider(deps, request.ctx.projectId, request.params.providerId);
        await audit(request, 'delete', request.params.providerId);
        return reply.code(204).send();
      },
    );

    for (const provider of PROVIDER_NAMES) {
      const fields = fieldsOf(provider);
      const createBody = z.object({ providerId: z.string().max(36), name: z.string().max(128), enabled: z.boolean().optional(), ...fields });
      const updateBody = z.object({ name: z.string().max(128).optional(), enabled: z.boolean().optional(), ...fields });

      app.post(`/messaging/providers/${provider}`, { config: write, schema: { body: createBody } }, async (request, reply) => {
        const created = await createProvider(deps, request.ctx.projectId, provider, request.body);
        await audit(request, 'create', created.$id);
        return reply.code(201).send(created);
      });

      app.patch(
        `/messaging/providers/${provider}/:providerId`,
        { config: write, schema: { params: providerParams, body: updateBody } },
        async (request) => {
          const updated = await updateProvider(deps, request.ctx.projectId, provider, request.params.providerId, request.body ?? {});
          await audit(request, 'update', updated.$id);
          return updated;
        },
      );
    }
  };
}
