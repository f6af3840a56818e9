import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';

export type SessionSource = 'cookie' | 'legacy-cookie' | 'header' | 'fallback-cookies';

/** What a request carries to prove a user; checked by the account service, not here. */
export interface Credentials {
  session?: { token: string; source: SessionSource };
  jwt?: string;
}

/** Every project's session cookie (and its legacy twin) starts so. */
export const SESSION_COOKIE_PREFIX = 'a_session_';

export function sessionCookieName(projectId: string): string {
  return `${SESSION_COOKIE_PREFIX}${projectId}`;
}

/**
 * Reads session material in Appwrite's order: the cookie, its legacy twin, the
 * X-Appwrite-Session header, then X-Fallback-Cookies for browsers that refuse
 * third-party cookies. A JWT may not travel with a session.
 */
export function readCredentials(request: FastifyRequest, projectId: string): Credentials {
  const name = sessionCookieName(projectId);
  const credentials: Credentials = {};
  const cookies = request.cookies ?? {};
  const fromCookie = cookies[name];
  const fromLegacy = cookies[`${name}_legacy`];
  const fromHeader = request.headers['x-appwrite-session'];

  if (fromCookie) credentials.session = { token: fromCookie, source: 'cookie' };
  else if (fromLegacy) credentials.session = { token: fromLegacy, source: 'legacy-cookie' };
  else if (typeof fromHeader === 'string' && fromHeader !== '') credentials.session = { token: fromHeader, source: 'header' };
  else {
    const fallback = readFallbackCookie(request.headers['x-fallback-cookies'], name);
    if (fallback) credentials.session = { token: fallback, source: 'fallback-cookies' };
  }

  const jwt = request.headers['x-appwrite-jwt'];
  if (typeof jwt === 'string' && jwt !== '') {
    if (credentials.session?.source === 'cookie' || credentials.session?.source === 'legacy-cookie') {
      throw new AppError('user_jwt_and_cookie_set');
    }
    credentials.jwt = jwt;
  }
  return credentials;
}

function readFallbackCookie(header: string | string[] | undefined, name: string): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(header);
    if (parsed && typeof parsed === 'object') {
      const value = (parsed as Record<string, unknown>)[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    }
  } catch {
    // A malformed fallback header is ignored, like a missing cookie.
  }
  return undefined;
}
