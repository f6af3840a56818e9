import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createMockPhone, deleteMockPhone, getMockPhone, listMockPhones, updateMockPhone, type MockPhonePage } from './mock-phones.js';

const read = { scope: 'mocks.read' };
const write = { scope: 'mocks.write' };

/** E.164: a plus, then up to fifteen digits, the first not zero. */
const phoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "Phone number must start with a '+' and have between 7 and 15 digits (E.164).");
const otp = z.string().regex(/^\d{6}$/, 'Value must be a string of exactly 6 digits.');

const numberParams = z.object({ number: phoneNumber });
type NumberParams = z.infer<typeof numberParams>;

/** The list takes `limit` and `offset` queries only, as JSON strings from the SDK's `Query` class. */
const listQuery = z
  .object({
    queries: queriesParam,
    total: totalParam,
  })
  .transform((input, context): MockPhonePage => {
    const page: MockPhonePage = { offset: 0, total: input.total };
    for (const text of input.queries) {
      const query = parseQuery(text);
      const value = query?.values?.[0];
      const valid = typeof value === 'number' && Number.isInteger(value) && value >= (query?.method === 'limit' ? 1 : 0);
      if (query?.method === 'limit' && valid) page.limit = value;
      else if (query?.method === 'offset' && valid) page.offset = value;
      else {
        const why = query === undefined ? 'not a query' : query.method === 'limit' || query.method === 'offset' ? `bad ${query.method} value` : `method not allowed: ${String(query.method)}`;
        context.addIssue({ code: 'custom', path: ['queries'], message: `Invalid query: ${why}. Only limit and offset are supported.` });
        return z.NEVER;
      }
    }
    return page;
  });

function parseQuery(text: string): { method?: unknown; values?: unknown[] } | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as { method?: unknown; values?: unknown[] }) : undefined;
  } catch {
    return undefined;
  }
}

/** Mock phone numbers with fixed OTPs, for testing phone sign-in without sending SMS. */
export function mockPhoneRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { number: string; otp: string } }>(
      '/project/mock-phones',
      { config: write, schema: { body: z.object({ number: phoneNumber, otp }) } },
      async (request, reply) => {
        const created = await createMockPhone(deps, request.ctx.projectId, request.body.number, request.body.otp);
        return reply.code(201).send(created);
      },
    );
    app.get<{ Querystring: MockPhonePage }>('/project/mock-phones', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listMockPhones(deps, request.ctx.projectId, request.query),
    );
    app.get<{ Params: NumberParams }>('/project/mock-phones/:number', { config: read, schema: { params: numberParams } }, async (request) =>
      getMockPhone(deps, request.ctx.projectId, request.params.number),
    );
    app.put<{ Params: NumberParams; Body: { otp: string } }>(
      '/project/mock-phones/:number',
      { config: write, schema: { params: numberParams, body: z.object({ otp }) } },
      async (request) => updateMockPhone(deps, request.ctx.projectId, request.params.number, request.body.otp),
    );
    app.delete<{ Params: NumberParams }>(
      '/project/mock-phones/:number',
      { config: write, schema: { params: numberParams } },
      async (request, reply) => {
        await deleteMockPhone(deps, request.ctx.projectId, request.params.number);
        return reply.code(204).send();
      },
    );
  };
}
