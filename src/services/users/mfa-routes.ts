import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { setUserMfa } from './admin-users.js';
import { listMfaFactors, removeAuthenticator } from './mfa-admin.js';
import { userIdParam } from './params.js';
import { createRecoveryCodes, regenerateRecoveryCodes, requireRecoveryCodes } from './recovery-codes.js';
import { requireUser } from './user-records.js';

const read = { scope: 'users.read' };
const write = { scope: 'users.write' };

const userPath = z.object({ userId: userIdParam });
const authenticatorPath = z.object({ userId: userIdParam, type: z.enum(['totp'], { error: 'Value must be one of (totp)' }) });
const mfaBody = z.object({ mfa: z.boolean({ error: 'Value must be a valid boolean' }) });

/** A server's view of a user's second factors: the switch, authenticators and recovery codes. */
export function mfaAdminRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.patch(
      '/users/:userId/mfa',
      { config: write, schema: { params: userPath, body: mfaBody } },
      async (request) => setUserMfa(deps, request.ctx.projectId, await requireUser(deps, request.ctx.projectId, request.params.userId), request.body.mfa),
    );

    app.delete(
      '/users/:userId/mfa/authenticators/:type',
      { config: write, schema: { params: authenticatorPath } },
      async (request, reply) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        await removeAuthenticator(deps, request.ctx.projectId, user, request.params.type);
        return reply.code(204).send();
      },
    );

    app.get('/users/:userId/mfa/factors', { config: read, schema: { params: userPath } }, async (request) =>
      listMfaFactors(deps, request.ctx.projectId, await requireUser(deps, request.ctx.projectId, request.params.userId)),
    );

    app.get('/users/:userId/mfa/recovery-codes', { config: read, schema: { params: userPath } }, async (request) => ({
      recoveryCodes: requireRecoveryCodes(deps, await requireUser(deps, request.ctx.projectId, request.params.userId)),
    }));

    app.patch('/users/:userId/mfa/recovery-codes', { config: write, schema: { params: userPath } }, async (request, reply) => {
      const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
      return reply.code(201).send({ recoveryCodes: await createRecoveryCodes(deps, request.ctx.projectId, user) });
    });

    app.put('/users/:userId/mfa/recovery-codes', { config: write, schema: { params: userPath } }, async (request) => ({
      recoveryCodes: await regenerateRecoveryCodes(deps, request.ctx.projectId, await requireUser(deps, request.ctx.projectId, request.params.userId)),
    }));
  };
}
