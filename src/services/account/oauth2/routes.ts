import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../../http/typed-routes.js';
import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import type { ServiceDeps } from '../../deps.js';
import { OAUTH2_PROVIDER_IDS } from '../../projects/index.js';
import { setSessionCookies } from '../../../http/session-cookies.js';
import { beginOAuth2, completeOAuth2, failureRedirect, readCallbackState } from './sign-in.js';
import { activitySource } from '../../users/index.js';

const providerParams = z.object({ provider: z.enum(OAUTH2_PROVIDER_IDS, { error: `Value must be one of (${OAUTH2_PROVIDER_IDS.join(', ')})` }) });
const beginQuery = z.object({
  success: z.string().max(2048).optional(),
  failure: z.string().max(2048).optional(),
  // `scopes[0]=…` as the SDKs send arrays; a lone value may come bare.
  scopes: z.union([z.array(z.string().max(128)).max(100), z.string().max(128).transform((one) => [one])]).default([]),
});
const callbackParams = z.object({ provider: z.string().max(64), projectId: z.string().max(36) });
const redirectParams = z.object({ provider: z.string().max(64) });

type BeginRoute = { Params: z.infer<typeof providerParams>; Querystring: z.infer<typeof beginQuery> };

/** Appwrite's limit on starting OAuth2 sign-ins: 50 an hour per IP. */
const beginConfig = { scope: 'sessions.write', rateLimit: { limit: 50, windowSeconds: 3600, key: ['ip' as const] } };

/** A redirect no browser or proxy may keep: each carries a one-time state or token. */
function redirectOnce(reply: FastifyReply, location: string) {
  return reply.header('Cache-Control', 'no-store, no-cache, must-revalidate, max-age=0').header('Pragma', 'no-cache').redirect(location, 301);
}

/** Query and (for form posts) body parameters of a provider's callback, as strings. */
function callbackParameters(request: FastifyRequest): URLSearchParams {
  const params = new URLSearchParams();
  for (const source of [request.query, request.body]) {
    if (!source || typeof source !== 'object') continue;
    for (const [name, value] of Object.entries(source as Record<string, unknown>)) if (typeof value === 'string') params.set(name, value);
  }
  return params;
}

/** OAuth2 sign-in: starting it (session or token), the provider's callback, and finishing it. */
export function oauth2Routes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    // Some providers (Apple) post the callback as a form, which every route reads.
    const begin = (mode: 'session' | 'token') => async (request: FastifyRequest<BeginRoute>, reply: FastifyReply) => {
      const location = await beginOAuth2(deps, {
        projectId: request.ctx.projectId,
        provider: request.params.provider,
        mode,
        success: request.query.success,
        failure: request.query.failure,
        scopes: request.query.scopes,
      });
      return redirectOnce(reply, location);
    };
    const beginSchema = { params: providerParams, querystring: beginQuery };
    app.get('/account/sessions/oauth2/:provider', { config: beginConfig, schema: beginSchema }, begin('session'));
    app.get('/account/tokens/oauth2/:provider', { config: beginConfig, schema: beginSchema }, begin('token'));

    // The URI registered at the provider names the project in its path; the next hop names it as the API expects.
    app.route({
      method: ['GET', 'POST'],
      url: '/account/sessions/oauth2/callback/:provider/:projectId',
      config: { scope: 'public', anyOrigin: true, withoutProject: true },
      schema: { params: callbackParams },
      handler: async (request, reply) => {
        const params = callbackParameters(request);
        params.set('project', request.params.projectId);
        return redirectOnce(reply, `/v1/account/sessions/oauth2/${encodeURIComponent(request.params.provider)}/redirect?${params.toString()}`);
      },
    });

    app.route({
      method: ['GET', 'POST'],
      url: '/account/sessions/oauth2/:provider/redirect',
      config: { scope: 'public', anyOrigin: true },
      schema: { params: redirectParams },
      handler: async (request, reply) => {
        const callback = callbackParameters(request);
        callback.delete('project');
        // Without a valid state there is no failure URL to go back to: the error is answered here.
        const state = await readCallbackState(deps, request.ctx.projectId, request.params.provider, callback.get('state') ?? undefined);
        try {
          const signedIn = request.ctx.user?.session ? request.ctx.user.user : undefined;
          const outcome = await completeOAuth2(deps, { state, callback, signedIn, source: activitySource(request) });
          if (outcome.mode === 'session') setSessionCookies(request, reply, request.ctx.projectId, outcome.issued.token, outcome.issued.expiresAt);
          return redirectOnce(reply, outcome.redirect);
        } catch (error) {
          if (!(error instanceof AppError)) request.log.error({ err: error }, 'OAuth2 sign-in failed');
          const reported = error instanceof AppError ? error : new AppError('general_server_error');
          return redirectOnce(reply, failureRedirect(state.failure, reported));
        }
      },
    });
  };
}
