import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createMockPhone, deleteMockPhone, getMockPhone, listMockPhones, updateMockPhone } from './mock-phones.js';

const read = { scope: 'mocks.read' };
const write = { scope: 'mocks.write' };

/** E.164: a plus, then up to fifteen digits, the first not zero. */
const phoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "Phone number must start with a '+' and have between 7 and 15 digits (E.164).");
const otp = z.string().regex(/^\d{6}$/, 'Value must be a string of exactly 6 digits.');

const numberParams = z.object({ number: phoneNumber });

const listQuery = z.object({ queries: queriesParam, total: totalParam });

/** Mock phone numbers with fixed OTPs, for testing phone sign-in without sending SMS. */
export function mockPhoneRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.post(
      '/project/mock-phones',
      { config: write, schema: { body: z.object({ number: phoneNumber, otp }) } },
      async (request, reply) => {
        const created = await createMockPhone(deps, request.ctx.projectId, request.body.number, request.body.otp);
        return reply.code(201).send(created);
      },
    );
    app.get('/project/mock-phones', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listMockPhones(deps, request.ctx.projectId, request.query),
    );
    app.get('/project/mock-phones/:number', { config: read, schema: { params: numberParams } }, async (request) =>
      getMockPhone(deps, request.ctx.projectId, request.params.number),
    );
    app.put(
      '/project/mock-phones/:number',
      { config: write, schema: { params: numberParams, body: z.object({ otp }) } },
      async (request) => updateMockPhone(deps, request.ctx.projectId, request.params.number, request.body.otp),
    );
    app.delete(
      '/project/mock-phones/:number',
      { config: write, schema: { params: numberParams } },
      async (request, reply) => {
        await deleteMockPhone(deps, request.ctx.projectId, request.params.number);
        return reply.code(204).send();
      },
    );
  };
}
