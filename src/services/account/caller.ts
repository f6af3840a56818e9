import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { AuthenticatedUser } from '../../auth/authenticate-user.js';

/** The signed-in user of an account route; the scope check already kept guests out. */
export function signedInUser(request: FastifyRequest): AuthenticatedUser {
  const user = request.ctx.user;
  if (!user) throw new AppError('user_not_found');
  return user;
}

/** Signing in again while signed in is refused, as Appwrite does. */
export function assertNotSignedIn(request: FastifyRequest): void {
  if (request.ctx.user?.session) throw new AppError('user_session_already_exists');
}

/** Session secrets are shown only to servers (API keys), which pass them on themselves. */
export function revealsSecrets(request: FastifyRequest): boolean {
  return request.ctx.caller.actsForProject;
}
