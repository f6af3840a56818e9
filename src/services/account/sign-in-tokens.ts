import { AppError } from '../../core/errors.js';
import { findMockPhone } from '../../data/platform/mock-phones.js';
import { findProject } from '../../data/platform/projects.js';
import { findUserByEmail, findUserByPhone } from '../../data/project/users.js';
import type { UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { sendSms, sendTemplatedMail } from '../messages/index.js';
import { assertAllowedRedirect } from '../projects/index.js';
import type { ActivitySource } from '../users/index.js';
import { createUser, normaliseEmail } from '../users/index.js';
import { securityPhrase } from './security-phrase.js';
import { issueToken, linkWithParams, TOKEN_SECONDS, type IssuedToken } from './tokens.js';

export interface TokenRequest {
  projectId: string;
  source: ActivitySource;
  locale: string | undefined;
}

export interface SentToken {
  issued: IssuedToken;
  phrase: string;
}

/** The sentence the sign-in mails show when the app asked for a security phrase. */
function phraseLine(phrase: string): string {
  return phrase ? `The security phrase for this mail is "${phrase}": trust it only if the app shows the same phrase.` : '';
}

export async function projectName(deps: ServiceDeps, projectId: string): Promise<string> {
  return (await findProject(deps.db.platform, projectId))?.name ?? projectId;
}

/** The user with this email, or a new one without a password: sign-in by mail doubles as sign-up. */
async function userForEmail(deps: ServiceDeps, projectId: string, userId: string, email: string): Promise<UserRow> {
  const existing = await findUserByEmail(deps.db.project(projectId), normaliseEmail(email));
  const user = existing ?? (await createUser(deps, projectId, { userId, email }, 'generic'));
  if (user.status !== 1) throw new AppError('user_blocked');
  return user;
}

/** Sends a sign-in link; following it gives the app `userId` and `secret` for `createSession`. */
export async function sendMagicUrl(
  deps: ServiceDeps,
  request: TokenRequest,
  input: { userId: string; email: string; url: string; phrase?: boolean | undefined },
): Promise<SentToken> {
  await assertAllowedRedirect(deps, request.projectId, input.url, 'url');
  const user = await userForEmail(deps, request.projectId, input.userId, input.email);
  const issued = await issueToken(deps, request.projectId, user, 'magic-url', { seconds: TOKEN_SECONDS.link, secretBytes: 32, source: request.source });
  const phrase = input.phrase ? securityPhrase() : '';
  const url = linkWithParams(input.url, { userId: user.id, secret: issued.secret, expire: issued.row.expire, project: request.projectId });
  await sendTemplatedMail(deps, {
    projectId: request.projectId,
    template: 'magicSession',
    ...(request.locale ? { locale: request.locale } : {}),
    to: { email: user.email ?? input.email, name: user.name },
    variables: { url, user: user.name, project: await projectName(deps, request.projectId), phraseLine: phraseLine(phrase), ip: request.source.ip, agent: request.source.userAgent },
  });
  return { issued, phrase };
}

/** Sends a 6-digit sign-in code by mail. */
export async function sendEmailCode(
  deps: ServiceDeps,
  request: TokenRequest,
  input: { userId: string; email: string; phrase?: boolean | undefined },
): Promise<SentToken> {
  const user = await userForEmail(deps, request.projectId, input.userId, input.email);
  const issued = await issueToken(deps, request.projectId, user, 'email', { seconds: TOKEN_SECONDS.code, code: true, source: request.source });
  const phrase = input.phrase ? securityPhrase() : '';
  await sendTemplatedMail(deps, {
    projectId: request.projectId,
    template: 'otpSession',
    ...(request.locale ? { locale: request.locale } : {}),
    to: { email: user.email ?? input.email, name: user.name },
    variables: { otp: issued.secret, user: user.name, project: await projectName(deps, request.projectId), phraseLine: phraseLine(phrase), ip: request.source.ip, agent: request.source.userAgent },
  });
  return { issued, phrase };
}

/**
 * Sends a 6-digit sign-in code by SMS. A number the project registered as a mock phone
 * gets its fixed code and no message, for app-store reviewers and tests.
 */
export async function sendPhoneCode(deps: ServiceDeps, request: TokenRequest, input: { userId: string; phone: string }): Promise<SentToken> {
  const existing = await findUserByPhone(deps.db.project(request.projectId), input.phone);
  const user = existing ?? (await createUser(deps, request.projectId, { userId: input.userId, phone: input.phone }, 'generic'));
  if (user.status !== 1) throw new AppError('user_blocked');
  const mock = await findMockPhone(deps.db.platform, request.projectId, input.phone);
  const issued = await issueToken(deps, request.projectId, user, 'phone', {
    seconds: TOKEN_SECONDS.code,
    code: mock ? mock.otp : true,
    source: request.source,
  });
  if (!mock) {
    const project = await projectName(deps, request.projectId);
    await sendSms(deps, { projectId: request.projectId, to: input.phone, text: `${issued.secret} is your ${project} sign-in code.` });
  }
  return { issued, phrase: '' };
}
