import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import {
  createEphemeralKey,
  createKey,
  deleteKey,
  EPHEMERAL_KEY_MAX_DURATION,
  getKey,
  KEY_FILTER_METHODS,
  KEY_QUERY_ATTRIBUTES,
  listKeys,
  updateKey,
  type KeyFilterMethod,
  type KeyListQuery,
  type KeyQueryAttribute,
} from './keys.js';

const read = { scope: 'keys.read' };
const write = { scope: 'keys.write' };

/** Appwrite's default and largest page of a list. */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 5000;

const name = z.string({ error: 'Value must be a valid string' });
const scopes = z.array(z.string(), { error: 'Value must be a valid array' }).max(100, 'Value must a valid array no longer than 100 items');
const expire = z.string({ error: 'Value must be valid date in ISO 8601 format.' }).nullable().optional();

const keyParams = z.object({ keyId: z.string() });
type KeyParams = z.infer<typeof keyParams>;

const createBody = z.object({ keyId: z.string({ error: 'Value must be a valid string' }), name, scopes, expire });
type CreateBody = z.infer<typeof createBody>;

const updateBody = z.object({ name, scopes, expire });
type UpdateBody = z.infer<typeof updateBody>;

const ephemeralBody = z.object({
  scopes,
  duration: z
    .number({ error: 'Value must be a valid integer' })
    .int('Value must be a valid integer')
    .min(1, `Value must be a valid range between 1 and ${EPHEMERAL_KEY_MAX_DURATION}`)
    .max(EPHEMERAL_KEY_MAX_DURATION, `Value must be a valid range between 1 and ${EPHEMERAL_KEY_MAX_DURATION}`),
});
type EphemeralBody = z.infer<typeof ephemeralBody>;

interface RawQuery {
  method?: unknown;
  attribute?: unknown;
  values?: unknown;
}

/** The SDK's `Query` strings, turned into a `KeyListQuery`; anything else is an invalid `queries`. */
export const keyListQuerystring = z
  .object({
    queries: queriesParam,
    total: totalParam,
  })
  .transform((input, context): KeyListQuery => {
    const query: KeyListQuery = { filters: [], orders: [], limit: DEFAULT_LIMIT, offset: 0, total: input.total };
    if (input.queries.length > 100) {
      context.addIssue({ code: 'custom', path: ['queries'], message: 'Value must a valid array no longer than 100 items' });
      return z.NEVER;
    }
    for (const text of input.queries) {
      const why = applyQuery(query, parseQuery(text));
      if (why !== undefined) {
        context.addIssue({ code: 'custom', path: ['queries'], message: `Invalid query: ${why}` });
        return z.NEVER;
      }
    }
    return query;
  });

function parseQuery(text: string): RawQuery | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as RawQuery) : undefined;
  } catch {
    return undefined;
  }
}

/** Adds one query to the list's; a reason when it cannot. */
function applyQuery(query: KeyListQuery, raw: RawQuery | undefined): string | undefined {
  if (raw === undefined || typeof raw.method !== 'string') return 'Syntax error';
  const values = Array.isArray(raw.values) ? (raw.values as unknown[]) : [];
  const method = raw.method;
  if (method === 'limit' || method === 'offset') {
    const value = values[0];
    const least = method === 'limit' ? 1 : 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < least || value > MAX_LIMIT) {
      return `${method === 'limit' ? 'Limit' : 'Offset'} must be an integer between ${least} and ${MAX_LIMIT}`;
    }
    query[method] = value;
    return undefined;
  }
  if (method === 'cursorAfter' || method === 'cursorBefore') {
    if (typeof values[0] !== 'string') return 'Cursor must be a key ID';
    query.cursor = { id: values[0], before: method === 'cursorBefore' };
    return undefined;
  }
  const attribute = raw.attribute;
  // As Appwrite: an order naming no attribute is the stored order, whatever its values.
  if ((method === 'orderAsc' || method === 'orderDesc') && (attribute === undefined || attribute === '')) {
    query.orders.push({ attribute: null, descending: method === 'orderDesc' });
    return undefined;
  }
  if (typeof attribute !== 'string' || !(KEY_QUERY_ATTRIBUTES as readonly string[]).includes(attribute)) {
    return `Attribute not found in schema: ${String(attribute)}`;
  }
  if (method === 'orderAsc' || method === 'orderDesc') {
    query.orders.push({ attribute: attribute as KeyQueryAttribute, descending: method === 'orderDesc' });
    return undefined;
  }
  if (!(KEY_FILTER_METHODS as readonly string[]).includes(method)) return `Query method not valid: ${method}`;
  const noValues = method === 'isNull' || method === 'isNotNull';
  if (!noValues && (values.length === 0 || !values.every((value) => typeof value === 'string'))) {
    return `Query method ${method} needs string values`;
  }
  query.filters.push({ method: method as KeyFilterMethod, attribute: attribute as KeyQueryAttribute, values: values as string[] });
  return undefined;
}

/** The project's API keys: list, create, read, update, delete, and short-lived ephemeral keys. */
export function keyRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: KeyListQuery }>('/project/keys', { config: read, schema: { querystring: keyListQuerystring } }, async (request) =>
      listKeys(deps, request.ctx.projectId, request.query),
    );

    app.post<{ Body: CreateBody }>('/project/keys', { config: write, schema: { body: createBody } }, async (request, reply) => {
      const { keyId, ...fields } = request.body;
      const key = await createKey(deps, { projectId: request.ctx.projectId, keyId, ...fields, grantable: request.ctx.scopes });
      return reply.code(201).send(key);
    });

    app.post<{ Body: EphemeralBody }>('/project/keys/ephemeral', { config: write, schema: { body: ephemeralBody } }, async (request, reply) => {
      const key = await createEphemeralKey(deps, request.ctx.projectId, {
        scopes: request.body.scopes,
        durationSeconds: request.body.duration,
        grantable: request.ctx.scopes,
      });
      return reply.code(201).send(key);
    });

    app.get<{ Params: KeyParams }>('/project/keys/:keyId', { config: read, schema: { params: keyParams } }, async (request) =>
      getKey(deps, request.ctx.projectId, request.params.keyId),
    );

    app.put<{ Params: KeyParams; Body: UpdateBody }>(
      '/project/keys/:keyId',
      { config: write, schema: { params: keyParams, body: updateBody } },
      async (request) => updateKey(deps, request.ctx.projectId, request.params.keyId, { ...request.body, grantable: request.ctx.scopes }),
    );

    app.delete<{ Params: KeyParams }>('/project/keys/:keyId', { config: write, schema: { params: keyParams } }, async (request, reply) => {
      await deleteKey(deps, request.ctx.projectId, request.params.keyId);
      return reply.code(204).send();
    });
  };
}
