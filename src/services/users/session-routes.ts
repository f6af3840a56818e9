import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import { JWT_MAX_SECONDS } from '../../auth/jwt.js';
import { activitySource } from './activity-source.js';
import type { ServiceDeps } from '../deps.js';
import {
  createGenericToken,
  createManagedJwt,
  createServerSession,
  deleteManagedSession,
  deleteManagedSessions,
  listManagedSessions,
  TOKEN_DEFAULT_LENGTH,
  TOKEN_DEFAULT_SECONDS,
} from './admin-sessions.js';
import { searchParam, userIdParam } from './params.js';
import { deleteIdentity, listIdentities, listUserLogs, listUserMemberships } from './user-activity.js';
import { requireUser } from './user-records.js';

const read = { scope: 'users.read' };
const write = { scope: 'users.write' };
// The user's sessions also answer to a key holding only the session scopes, as Appwrite lists them.
const sessionsRead = { scope: ['users.read', 'sessions.read'] };
const sessionsWrite = { scope: ['users.write', 'sessions.write'] };

const userPath = z.object({ userId: userIdParam });
const sessionPath = z.object({ userId: userIdParam, sessionId: z.string().max(36) });
const identityPath = z.object({ identityId: z.string().max(36) });
const totalQuery = z.object({ total: totalParam });
const listQuery = z.object({ queries: queriesParam, search: searchParam.optional(), total: totalParam });
const int = (min: number, max: number) =>
  z.number({ error: 'Value must be a valid integer' }).int().min(min, `Value must be a valid range between ${min} and ${max}`).max(max, `Value must be a valid range between ${min} and ${max}`);
const tokenBody = z.object({ length: int(4, 128).default(TOKEN_DEFAULT_LENGTH), expire: int(60, 31536000).default(TOKEN_DEFAULT_SECONDS) });
const jwtBody = z.object({ sessionId: z.string().max(36).default('recent'), duration: int(0, JWT_MAX_SECONDS).default(0) });

/** What servers do with a user's sign-ins: sessions, tokens, JWTs, and what the user did and belongs to. */
export function userSessionRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/users/:userId/sessions',
      { config: sessionsRead, schema: { params: userPath, querystring: totalQuery } },
      async (request) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        return listManagedSessions(deps, request.ctx.projectId, user.id, request.query.total);
      },
    );

    app.post('/users/:userId/sessions', { config: sessionsWrite, schema: { params: userPath } }, async (request, reply) => {
      const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
      return reply.code(201).send(await createServerSession(deps, request.ctx.projectId, user, activitySource(request)));
    });

    app.delete('/users/:userId/sessions', { config: sessionsWrite, schema: { params: userPath } }, async (request, reply) => {
      const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
      await deleteManagedSessions(deps, request.ctx.projectId, user, activitySource(request));
      return reply.code(204).send();
    });

    app.delete(
      '/users/:userId/sessions/:sessionId',
      { config: sessionsWrite, schema: { params: sessionPath } },
      async (request, reply) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        await deleteManagedSession(deps, request.ctx.projectId, user, request.params.sessionId, activitySource(request));
        return reply.code(204).send();
      },
    );

    app.post(
      '/users/:userId/tokens',
      { config: write, schema: { params: userPath, body: tokenBody } },
      async (request, reply) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        const { length, expire } = request.body;
        return reply.code(201).send(await createGenericToken(deps, request.ctx.projectId, user, { length, seconds: expire }, activitySource(request)));
      },
    );

    app.post(
      '/users/:userId/jwts',
      { config: write, schema: { params: userPath, body: jwtBody } },
      async (request, reply) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        return reply.code(201).send(await createManagedJwt(deps, request.ctx.projectId, user, request.body.sessionId, request.body.duration));
      },
    );

    app.get(
      '/users/:userId/logs',
      { config: read, schema: { params: userPath, querystring: listQuery } },
      async (request) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        return listUserLogs(deps, request.ctx.projectId, user.id, request.query);
      },
    );

    app.get(
      '/users/:userId/memberships',
      { config: read, schema: { params: userPath, querystring: listQuery } },
      async (request) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        return listUserMemberships(deps, request.ctx.projectId, user, request.query);
      },
    );

    app.get('/users/identities', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listIdentities(deps, request.ctx.projectId, request.query),
    );

    app.delete(
      '/users/identities/:identityId',
      { config: write, schema: { params: identityPath } },
      async (request, reply) => {
        await deleteIdentity(deps, request.ctx.projectId, request.params.identityId);
        return reply.code(204).send();
      },
    );
  };
}
