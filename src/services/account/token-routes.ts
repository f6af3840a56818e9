import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { activitySource, emailParam, passwordParam, phoneParam, redirectUrlParam, userIdParam } from '../users/index.js';
import { revealsSecrets, signedInUser } from './caller.js';
import { completeRecovery, sendRecovery } from './recovery.js';
import { sendEmailCode, sendMagicUrl, sendPhoneCode, type SentToken, type TokenRequest } from './sign-in-tokens.js';
import { tokenModel } from './tokens.js';
import { confirmEmailVerification, confirmPhoneVerification, sendEmailVerification, sendPhoneVerification } from './verification.js';

const HOUR = 3600;
const sessionsWrite = { scope: 'sessions.write' };

const magicUrlBody = z.object({ userId: userIdParam, email: emailParam, url: redirectUrlParam.optional(), phrase: z.boolean().optional() });
const emailCodeBody = z.object({ userId: userIdParam, email: emailParam, phrase: z.boolean().optional() });
const phoneCodeBody = z.object({ userId: userIdParam, phone: phoneParam });
const urlBody = z.object({ url: redirectUrlParam });
const secretBody = z.object({ userId: userIdParam, secret: z.string().min(1).max(256) });
const recoveryBody = z.object({ email: emailParam, url: redirectUrlParam });
const recoveryUpdateBody = z.object({ userId: userIdParam, secret: z.string().min(1).max(256), password: passwordParam });

function tokenRequest(request: FastifyRequest): TokenRequest {
  return { projectId: request.ctx.projectId, source: activitySource(request), locale: request.ctx.locale };
}

function answer(request: FastifyRequest, sent: SentToken) {
  return tokenModel(sent.issued, { revealSecret: revealsSecrets(request), phrase: sent.phrase });
}

/** Where the app lands when it gives no link of its own, as Appwrite's console would. */
function defaultMagicUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/console/auth/magic-url`;
}

/** Sign-in links and codes by mail and SMS, email and phone verification, and password recovery. */
export function accountTokenRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.post(
      '/account/tokens/magic-url',
      {
        config: { ...sessionsWrite, authMethod: 'magic-url', rateLimit: { limit: 60, windowSeconds: HOUR, key: ['url', { param: 'email' }] } },
        schema: { body: magicUrlBody },
      },
      async (request, reply) => {
        const sent = await sendMagicUrl(deps, tokenRequest(request), { ...request.body, url: request.body.url ?? defaultMagicUrl(request) });
        return reply.code(201).send(answer(request, sent));
      },
    );

    app.post(
      '/account/tokens/email',
      {
        config: { ...sessionsWrite, authMethod: 'email-otp', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', { param: 'email' }] } },
        schema: { body: emailCodeBody },
      },
      async (request, reply) => reply.code(201).send(answer(request, await sendEmailCode(deps, tokenRequest(request), request.body))),
    );

    app.post(
      '/account/tokens/phone',
      {
        config: { ...sessionsWrite, authMethod: 'phone', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', { param: 'phone' }] } },
        schema: { body: phoneCodeBody },
      },
      async (request, reply) => reply.code(201).send(answer(request, await sendPhoneCode(deps, tokenRequest(request), request.body))),
    );

    app.post(
      '/account/verifications/email',
      { config: { scope: 'account', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', 'user'] } }, schema: { body: urlBody } },
      async (request, reply) => {
        const sent = await sendEmailVerification(deps, tokenRequest(request), signedInUser(request).user, request.body.url);
        return reply.code(201).send(answer(request, sent));
      },
    );

    app.put(
      '/account/verifications/email',
      { config: { scope: 'public', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', { param: 'userId' }] } }, schema: { body: secretBody } },
      async (request) => confirmEmailVerification(deps, request.ctx.projectId, request.body),
    );

    app.post(
      '/account/verifications/phone',
      { config: { scope: 'account', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', 'user'] } } },
      async (request, reply) => {
        const sent = await sendPhoneVerification(deps, tokenRequest(request), signedInUser(request).user);
        return reply.code(201).send(answer(request, sent));
      },
    );

    app.put(
      '/account/verifications/phone',
      { config: { scope: 'public', rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', { param: 'userId' }] } }, schema: { body: secretBody } },
      async (request) => confirmPhoneVerification(deps, request.ctx.projectId, request.body),
    );

    app.post(
      '/account/recovery',
      { config: { ...sessionsWrite, rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', { param: 'email' }] } }, schema: { body: recoveryBody } },
      async (request, reply) => reply.code(201).send(answer(request, await sendRecovery(deps, tokenRequest(request), request.body))),
    );

    app.put(
      '/account/recovery',
      { config: { ...sessionsWrite, rateLimit: { limit: 10, windowSeconds: HOUR, key: ['url', { param: 'userId' }] } }, schema: { body: recoveryUpdateBody } },
      async (request) => completeRecovery(deps, tokenRequest(request), request.body),
    );
  };
}
