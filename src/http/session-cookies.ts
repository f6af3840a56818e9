import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookieName } from './credentials.js';

/** No domain for localhost or an IP; otherwise the request's host and its subdomains, as Appwrite does. */
function cookieDomain(hostname: string): string | undefined {
  return hostname === 'localhost' || isIP(hostname) !== 0 ? undefined : `.${hostname}`;
}

/** The last two labels of a host: close enough to its registrable domain for the fallback decision. */
function siteOf(hostname: string): string {
  if (hostname === 'localhost' || isIP(hostname) !== 0) return hostname;
  return hostname.split('.').slice(-2).join('.');
}

/**
 * A browser on another site may refuse the cookie as third-party; the token then also
 * travels in `X-Fallback-Cookies`, which the web SDK keeps and sends back.
 */
function isCrossSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return siteOf(new URL(origin).hostname) !== siteOf(request.hostname);
  } catch {
    return false;
  }
}

/**
 * Sets the session cookie and its legacy twin. The main cookie is SameSite=None for
 * cross-site apps; the legacy one has no SameSite for browsers that reject None.
 */
export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, projectId: string, token: string, expires: Date): void {
  const name = sessionCookieName(projectId);
  const domain = cookieDomain(request.hostname);
  const secure = request.protocol === 'https';
  const base = { path: '/', httpOnly: true, secure, expires, ...(domain ? { domain } : {}) };
  // The legacy twin goes first, as Appwrite orders them: clients that keep one Set-Cookie line keep the main one.
  // `sameSite: false` overrides the cookie plugin's Lax default: the legacy cookie carries no SameSite at all.
  reply.setCookie(`${name}_legacy`, token, { ...base, sameSite: false });
  reply.setCookie(name, token, { ...base, sameSite: 'none' });
  if (isCrossSite(request)) reply.header('X-Fallback-Cookies', JSON.stringify({ [name]: token }));
}

/** Clears both cookies after a sign-out, and tells SDK fallback storage to forget the token. */
export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply, projectId: string): void {
  const name = sessionCookieName(projectId);
  const domain = cookieDomain(request.hostname);
  const base = { path: '/', httpOnly: true, secure: request.protocol === 'https', expires: new Date(0), ...(domain ? { domain } : {}) };
  reply.setCookie(`${name}_legacy`, 'deleted', { ...base, sameSite: false });
  reply.setCookie(name, 'deleted', { ...base, sameSite: 'none' });
  reply.header('X-Fallback-Cookies', '[]');
}
