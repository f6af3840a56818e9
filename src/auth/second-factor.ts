import { AppError } from '../core/errors.js';
import { hasVerifiedAuthenticator } from '../data/project/authenticators.js';
import type { AuthDeps } from './deps.js';
import type { AuthenticatedUser } from './authenticate-user.js';

/**
 * A user who turned MFA on, and has a second factor to give (a verified email or phone,
 * or a verified authenticator), must prove two factors in a session before it opens
 * anything but the MFA routes. Costs nothing for everyone else.
 */
export async function assertSecondFactor(deps: AuthDeps, projectId: string, signedIn: AuthenticatedUser | undefined, routeAllows: boolean): Promise<void> {
  if (!signedIn?.session || routeAllows || signedIn.user.mfa !== 1) return;
  const factors = JSON.parse(signedIn.session.factors) as string[];
  if (factors.length >= 2) return;
  const { user } = signedIn;
  let hasSecondFactor = user.email_verified === 1 || user.phone_verified === 1;
  if (!hasSecondFactor) {
    hasSecondFactor = await hasVerifiedAuthenticator(deps.db.project(projectId), user.id);
  }
  if (hasSecondFactor) throw new AppError('user_more_factors_required');
}
