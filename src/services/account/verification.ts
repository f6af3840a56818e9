import { AppError } from '../../core/errors.js';
import type { UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { sendSms, sendTemplatedMail } from '../messages/index.js';
import { assertAllowedRedirect } from '../projects/index.js';
import { userEvent } from '../users/index.js';
import { commitWithEvents } from '../event-outbox.js';
import { againIfDuplicate } from '../../data/duplicates.js';
import { toTokenModel } from '../users/index.js';
import { requireUser, saveUserChangesIn } from '../users/index.js';
import { projectName, type SentToken, type TokenRequest } from './sign-in-tokens.js';
import { issueToken, linkWithParams, redeemTokenIn, TOKEN_SECONDS } from './tokens.js';

/** Mails a link that proves the user owns their address. */
export async function sendEmailVerification(deps: ServiceDeps, request: TokenRequest, user: UserRow, url: string): Promise<SentToken> {
  if (!user.email) throw new AppError('user_email_not_found');
  if (user.email_verified === 1) throw new AppError('user_email_already_verified');
  await assertAllowedRedirect(deps, request.projectId, url, 'url');
  const issued = await issueToken(deps, request.projectId, user, 'verification', { seconds: TOKEN_SECONDS.verification, source: request.source, alsoAs: 'verification' });
  const link = linkWithParams(url, { userId: user.id, secret: issued.secret, expire: issued.row.expire, project: request.projectId });
  await sendTemplatedMail(deps, {
    projectId: request.projectId,
    template: 'verification',
    ...(request.locale ? { locale: request.locale } : {}),
    to: { email: user.email, name: user.name },
    variables: { url: link, user: user.name, project: await projectName(deps, request.projectId) },
  });
  return { issued, phrase: '' };
}

/** Texts a code that proves the user owns their phone. */
export async function sendPhoneVerification(deps: ServiceDeps, request: TokenRequest, user: UserRow): Promise<SentToken> {
  if (!user.phone) throw new AppError('user_phone_not_found');
  if (user.phone_verified === 1) throw new AppError('user_phone_already_verified');
  const issued = await issueToken(deps, request.projectId, user, 'phone-verification', { seconds: TOKEN_SECONDS.code, code: true, source: request.source, alsoAs: 'verification' });
  const project = await projectName(deps, request.projectId);
  await sendSms(deps, { projectId: request.projectId, to: user.phone, text: `${issued.secret} is your ${project} verification code.` });
  return { issued, phrase: '' };
}

export function confirmEmailVerification(deps: ServiceDeps, projectId: string, input: { userId: string; secret: string }) {
  return confirmVerification(deps, projectId, input, 'verification', { email_verified: 1 });
}

export function confirmPhoneVerification(deps: ServiceDeps, projectId: string, input: { userId: string; secret: string }) {
  return confirmVerification(deps, projectId, input, 'phone-verification', { phone_verified: 1 });
}

/** Redeems the user's token of that kind and marks what it verifies, in one change with its events. */
async function confirmVerification(
  deps: ServiceDeps,
  projectId: string,
  input: { userId: string; secret: string },
  kind: 'verification' | 'phone-verification',
  verified: { email_verified: 1 } | { phone_verified: 1 },
) {
  const user = await requireUser(deps, projectId, input.userId);
  const token = await againIfDuplicate(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      const token = await redeemTokenIn(trx, user.id, [kind], input.secret);
      await saveUserChangesIn(trx, emit, projectId, user, verified, { attribute: 'verification', conflicts: 'generic' });
      emit(userEvent(projectId, user.id, { sub: ['verification', token.id], action: 'update', payload: toTokenModel(token, '') }));
      return token;
    }),
  );
  return toTokenModel(token, '');
}
