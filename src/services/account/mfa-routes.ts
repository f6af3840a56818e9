import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { activitySource, createRecoveryCodes, regenerateRecoveryCodes, requireRecoveryCodes } from '../users/index.js';
import { signedInUser } from './caller.js';
import { createTotpAuthenticator, removeAuthenticator, verifyTotpAuthenticator } from './mfa-authenticators.js';
import { CHALLENGE_FACTORS, completeMfaChallenge, createMfaChallenge } from './mfa-challenges.js';
import { assertRecentChallenge, listMfaFactors, requireCurrentSession, updateMfa } from './mfa-factors.js';

const account = { scope: 'account' };
/**
 * Only what finishes signing in is open to a session still owing its second factor:
 * listing factors and answering challenges. Enrolment, recovery codes and the MFA switch
 * stay closed, or a stolen password alone could turn MFA off or read a recovery code.
 */
const signingIn = { scope: 'account', beforeSecondFactor: true } as const;

const mfaBody = z.object({ mfa: z.boolean() });
const typeParams = z.object({ type: z.enum(['totp']) });
const otpBody = z.object({ otp: z.string().min(1).max(256) });
const challengeBody = z.object({ factor: z.enum(CHALLENGE_FACTORS) });
const answerBody = z.object({ challengeId: z.string().min(1).max(36), otp: z.string().min(1).max(256) });

/** Multi-factor authentication of the signed-in user: authenticators, challenges, recovery codes. */
export function accountMfaRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.patch('/account/mfa', { config: account, schema: { body: mfaBody } }, async (request) =>
      updateMfa(deps, request.ctx.projectId, signedInUser(request), request.body.mfa, activitySource(request)),
    );

    app.post(
      '/account/mfa/authenticators/:type',
      { config: account, schema: { params: typeParams } },
      async (request) => createTotpAuthenticator(deps, request.ctx.projectId, signedInUser(request).user),
    );

    app.put(
      '/account/mfa/authenticators/:type',
      // A wrong code costs a try, as answering a challenge does.
      { config: { ...account, rateLimit: { limit: 10, windowSeconds: 3600, key: ['url', 'user'] } }, schema: { params: typeParams, body: otpBody } },
      async (request) => verifyTotpAuthenticator(deps, request.ctx.projectId, signedInUser(request), request.body.otp),
    );

    app.delete(
      '/account/mfa/authenticators/:type',
      { config: account, schema: { params: typeParams } },
      async (request, reply) => {
        await removeAuthenticator(deps, request.ctx.projectId, signedInUser(request), request.params.type);
        return reply.code(204).send();
      },
    );

    app.post(
      '/account/mfa/challenges',
      { config: { ...signingIn, rateLimit: { limit: 10, windowSeconds: 3600, key: ['url', 'user'] } }, schema: { body: challengeBody } },
      async (request, reply) => {
        const challenge = await createMfaChallenge(deps, request.ctx.projectId, signedInUser(request).user, request.body.factor, request.ctx.locale);
        return reply.code(201).send(challenge);
      },
    );

    app.put(
      '/account/mfa/challenges',
      // Per user, not per challenge: fresh challenges must not buy a guesser fresh tries.
      { config: { ...signingIn, rateLimit: { limit: 10, windowSeconds: 3600, key: ['url', 'user'] } }, schema: { body: answerBody } },
      async (request) => completeMfaChallenge(deps, request.ctx.projectId, signedInUser(request), request.body.challengeId, request.body.otp),
    );

    app.get('/account/mfa/factors', { config: signingIn }, async (request) => listMfaFactors(deps, request.ctx.projectId, signedInUser(request).user));

    app.get('/account/mfa/recovery-codes', { config: account }, async (request) => ({
      recoveryCodes: requireRecoveryCodes(deps, signedInUser(request).user),
    }));

    app.post('/account/mfa/recovery-codes', { config: account }, async (request, reply) => {
      const codes = await createRecoveryCodes(deps, request.ctx.projectId, signedInUser(request).user);
      return reply.code(201).send({ recoveryCodes: codes });
    });

    app.patch('/account/mfa/recovery-codes', { config: account }, async (request) => {
      const signedIn = signedInUser(request);
      assertRecentChallenge(requireCurrentSession(signedIn));
      return { recoveryCodes: await regenerateRecoveryCodes(deps, request.ctx.projectId, signedIn.user) };
    });
  };
}
