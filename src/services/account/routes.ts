import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { queriesParam } from '../../http/list-params.js';
import { activitySource, emailParam, nameParam, passwordParam, phoneParam, prefsParam, userIdParam } from '../users/index.js';
import { deleteManagedUser, listAuthActivity } from '../users/index.js';
import {
  accountModel,
  blockOwnAccount,
  createAccount,
  updateAccountEmail,
  updateAccountName,
  updateAccountPassword,
  updateAccountPhone,
  updateAccountPrefs,
} from './account.js';
import { assertNotSignedIn, revealsSecrets, signedInUser } from './caller.js';
import { JWT_DEFAULT_SECONDS, signUserJwt } from '../../auth/jwt.js';
import { clearSessionCookies, setSessionCookies } from '../../http/session-cookies.js';
import { endAllSessions, endSession, extendSession, listSessions, requireSession, resolveSessionId } from './session-management.js';
import { sessionModel, type IssuedSession } from '../users/index.js';
import { signInAnonymously, signInWithPassword } from './sign-in.js';

const account = { scope: 'account' };
const sessionsWrite = { scope: 'sessions.write' };
const HOUR = 3600;
/**
 * Changes that prove the current password: counted per user, not per address, since a
 * stolen session guessing its owner's password may come from any number of addresses.
 */
const passwordProof = { ...account, rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', 'user'] } } as const;

const createBody = z.object({ userId: userIdParam, email: emailParam, password: passwordParam, name: nameParam.optional() });
const emailSessionBody = z.object({ email: emailParam, password: z.string().max(256) });
const sessionParams = z.object({ sessionId: z.string().max(36) });
const nameBody = z.object({ name: nameParam });
const passwordBody = z.object({ password: passwordParam, oldPassword: z.string().max(256).optional() });
const emailBody = z.object({ email: emailParam, password: z.string().max(256) });
const phoneBody = z.object({ phone: phoneParam, password: z.string().max(256) });
const prefsBody = z.object({ prefs: prefsParam });
const logQueryParams = z.object({ queries: queriesParam });
const jwtBody = z.object({ duration: z.number().int().min(0).max(3600).optional() });

/** Answers a new session: cookies for browsers, the model (secret for servers) in the body. */
export function replyWithSession(deps: ServiceDeps, request: FastifyRequest, reply: FastifyReply, issued: IssuedSession) {
  setSessionCookies(request, reply, request.ctx.projectId, issued.token, issued.expiresAt);
  const secret = revealsSecrets(request) ? issued.token : '';
  return reply.code(201).send(sessionModel(deps, issued.row, { currentSessionId: issued.row.id, secret }));
}

/** The account itself, its profile and its sessions. */
export function accountCoreRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/account', { config: account }, async (request) => accountModel(signedInUser(request).user));

    app.post(
      '/account',
      {
        config: { ...sessionsWrite, authMethod: 'email-password', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', 'ip'] } },
        schema: { body: createBody },
      },
      async (request, reply) => reply.code(201).send(await createAccount(deps, request.ctx.projectId, request.body, setupTokenOf(request))),
    );

    app.post(
      '/account/sessions/email',
      {
        config: { ...sessionsWrite, authMethod: 'email-password', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', { param: 'email' }] } },
        schema: { body: emailSessionBody },
      },
      async (request, reply) => {
        assertNotSignedIn(request);
        const issued = await signInWithPassword(deps, request.ctx.projectId, request.body, activitySource(request));
        return replyWithSession(deps, request, reply, issued);
      },
    );

    const anonymousLimit = { limit: 50, windowSeconds: HOUR, key: ['url', 'ip'] } as const;
    app.post('/account/sessions/anonymous', { config: { ...sessionsWrite, authMethod: 'anonymous', rateLimit: anonymousLimit } }, async (request, reply) => {
      assertNotSignedIn(request);
      const issued = await signInAnonymously(deps, request.ctx.projectId, activitySource(request));
      return replyWithSession(deps, request, reply, issued);
    });

    app.get('/account/sessions', { config: account }, async (request) => {
      const { user, session } = signedInUser(request);
      return listSessions(deps, request.ctx.projectId, user.id, session?.id);
    });

    app.delete('/account/sessions', { config: { ...account, beforeSecondFactor: true } }, async (request, reply) => {
      await endAllSessions(deps, request.ctx.projectId, signedInUser(request).user, activitySource(request));
      clearSessionCookies(request, reply, request.ctx.projectId);
      return reply.code(204).send();
    });

    app.get(
      '/account/sessions/:sessionId',
      { config: account, schema: { params: sessionParams } },
      async (request) => {
        const { user, session } = signedInUser(request);
        const row = await requireSession(deps, request.ctx.projectId, user.id, resolveSessionId(request.params.sessionId, session?.id));
        return sessionModel(deps, row, { currentSessionId: session?.id });
      },
    );

    app.patch(
      '/account/sessions/:sessionId',
      { config: account, schema: { params: sessionParams } },
      async (request) => {
        const { user, session } = signedInUser(request);
        const row = await requireSession(deps, request.ctx.projectId, user.id, resolveSessionId(request.params.sessionId, session?.id));
        return extendSession(deps, request.ctx.projectId, row, session?.id);
      },
    );

    app.delete(
      '/account/sessions/:sessionId',
      { config: { ...account, beforeSecondFactor: true }, schema: { params: sessionParams } },
      async (request, reply) => {
        const { user, session } = signedInUser(request);
        const sessionId = resolveSessionId(request.params.sessionId, session?.id);
        const row = await requireSession(deps, request.ctx.projectId, user.id, sessionId);
        await endSession(deps, request.ctx.projectId, user, row, activitySource(request));
        if (sessionId === session?.id) clearSessionCookies(request, reply, request.ctx.projectId);
        return reply.code(204).send();
      },
    );

    app.patch('/account/name', { config: account, schema: { body: nameBody } }, async (request) =>
      updateAccountName(deps, request.ctx.projectId, signedInUser(request).user, request.body.name, activitySource(request)),
    );

    app.patch('/account/password', { config: passwordProof, schema: { body: passwordBody } }, async (request) => {
      const { user, session } = signedInUser(request);
      return updateAccountPassword(deps, request.ctx.projectId, user, request.body, activitySource(request), session?.id);
    });

    app.patch('/account/email', { config: passwordProof, schema: { body: emailBody } }, async (request) =>
      updateAccountEmail(deps, request.ctx.projectId, signedInUser(request).user, request.body, activitySource(request)),
    );

    app.patch('/account/phone', { config: passwordProof, schema: { body: phoneBody } }, async (request) =>
      updateAccountPhone(deps, request.ctx.projectId, signedInUser(request).user, request.body, activitySource(request)),
    );

    app.get('/account/prefs', { config: account }, async (request) => accountModel(signedInUser(request).user).prefs);

    app.patch('/account/prefs', { config: account, schema: { body: prefsBody } }, async (request) =>
      updateAccountPrefs(deps, request.ctx.projectId, signedInUser(request).user, request.body.prefs),
    );

    // Self-deletion, as the console offers it: the user goes with their sessions, and the cookies with them.
    app.delete('/account', { config: account }, async (request, reply) => {
      await deleteManagedUser(deps, request.ctx.projectId, signedInUser(request).user.id);
      clearSessionCookies(request, reply, request.ctx.projectId);
      return reply.code(204).send();
    });

    app.patch('/account/status', { config: account }, async (request, reply) => {
      const model = await blockOwnAccount(deps, request.ctx.projectId, signedInUser(request).user, activitySource(request));
      clearSessionCookies(request, reply, request.ctx.projectId);
      return model;
    });

    app.post(
      '/account/jwts',
      { config: { ...account, authMethod: 'jwt' }, schema: { body: jwtBody } },
      async (request, reply) => {
        const { user, session } = signedInUser(request);
        const seconds = request.body.duration || JWT_DEFAULT_SECONDS;
        const jwt = await signUserJwt(deps.secretKey, request.ctx.projectId, { userId: user.id, sessionId: session?.id ?? '' }, seconds);
        return reply.code(201).send({ jwt });
      },
    );

    app.get(
      '/account/logs',
      { config: account, schema: { querystring: logQueryParams } },
      async (request) => listAuthActivity(deps, request.ctx.projectId, signedInUser(request).user.id, request.query.queries),
    );
  };
}

/** The console's first-run link carries a one-time token that admits the first administrator's sign-up. */
function setupTokenOf(request: FastifyRequest): string | undefined {
  const token = request.headers['x-plinth-setup-token'];
  return typeof token === 'string' && token !== '' ? token : undefined;
}
