import { AppError } from '../../core/errors.js';
import { findUserByEmail } from '../../data/project/users.js';
import type { ServiceDeps } from '../deps.js';
import { sendTemplatedMail } from '../messages/index.js';
import { assertAllowedRedirect } from '../projects/index.js';
import { recordAuthActivity } from '../users/index.js';
import { userEvent } from '../users/index.js';
import { commitWithEvents } from '../event-outbox.js';
import { againIfDuplicate } from '../../data/duplicates.js';
import { toTokenModel } from '../users/index.js';
import { endSessionsAfterPasswordChange, newPasswordColumns, prepareNewPassword } from '../users/index.js';
import { normaliseEmail, requireUser, saveUserChangesIn } from '../users/index.js';
import { projectName, type SentToken, type TokenRequest } from './sign-in-tokens.js';
import { issueToken, linkWithParams, redeemTokenIn, TOKEN_SECONDS } from './tokens.js';

/** Mails a password-reset link to the owner of the address. */
export async function sendRecovery(deps: ServiceDeps, request: TokenRequest, input: { email: string; url: string }): Promise<SentToken> {
  await assertAllowedRedirect(deps, request.projectId, input.url, 'url');
  const user = await findUserByEmail(deps.db.project(request.projectId), normaliseEmail(input.email));
  if (!user) throw new AppError('user_not_found');
  if (user.status !== 1) throw new AppError('user_blocked');
  const issued = await issueToken(deps, request.projectId, user, 'recovery', { seconds: TOKEN_SECONDS.link, source: request.source, alsoAs: 'recovery' });
  const link = linkWithParams(input.url, { userId: user.id, secret: issued.secret, expire: issued.row.expire, project: request.projectId });
  await sendTemplatedMail(deps, {
    projectId: request.projectId,
    template: 'recovery',
    ...(request.locale ? { locale: request.locale } : {}),
    to: { email: user.email ?? input.email, name: user.name },
    variables: { url: link, user: user.name, project: await projectName(deps, request.projectId) },
  });
  return { issued, phrase: '' };
}

/** Sets a new password with the secret from the reset link; the link works once. */
export async function completeRecovery(
  deps: ServiceDeps,
  request: TokenRequest,
  input: { userId: string; secret: string; password: string },
) {
  const user = await requireUser(deps, request.projectId, input.userId);
  // The password is checked before the link is spent, so a refused one does not burn it.
  const next = await prepareNewPassword(deps, request.projectId, user, input.password);
  const { projectId } = request;
  const { token, saved } = await againIfDuplicate(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      const token = await redeemTokenIn(trx, user.id, ['recovery'], input.secret);
      // Following the mailed link proves the address.
      const saved = await saveUserChangesIn(trx, emit, projectId, user, { ...newPasswordColumns(next), email_verified: 1 }, { attribute: 'password', conflicts: 'generic' });
      emit(userEvent(projectId, user.id, { sub: ['recovery', token.id], action: 'update', payload: toTokenModel(token, '') }));
      return { token, saved };
    }),
  );
  await endSessionsAfterPasswordChange(deps, projectId, user.id);
  await recordAuthActivity(deps, projectId, saved, 'recovery.update', request.source);
  return toTokenModel(token, '');
}
