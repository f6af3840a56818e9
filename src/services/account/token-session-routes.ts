import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { activitySource, userIdParam } from '../users/index.js';
import { replyWithSession } from './routes.js';
import { createSessionFromToken } from './token-session.js';

const tokenBody = z.object({ userId: userIdParam, secret: z.string().min(1).max(256) });

/** `POST /account/sessions/token` (and its older aliases): trades a token from any token sign-in (magic URL, OTP, phone, OAuth2, server) for a session. */
export function tokenSessionRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    const options = {
      // Per user, not per address: a six-digit code must not get ten more tries from each new address.
      config: { scope: 'sessions.write', rateLimit: { limit: 10, windowSeconds: 3600, key: ['url', { param: 'userId' }] } },
      schema: { body: tokenBody },
    } as const;
    const handler = async (request: FastifyRequest<{ Body: z.infer<typeof tokenBody> }>, reply: FastifyReply) => {
      const issued = await createSessionFromToken(deps, request.ctx.projectId, request.body, activitySource(request));
      return replyWithSession(deps, request, reply, issued);
    };
    app.post('/account/sessions/token', options, handler);
    // Older SDKs finish magic-URL and phone sign-ins here; they are the same exchange.
    app.put('/account/sessions/magic-url', { ...options, config: { ...options.config, authMethod: 'magic-url' } }, handler);
    app.put('/account/sessions/phone', { ...options, config: { ...options.config, authMethod: 'phone' } }, handler);
  };
}
