import { SESSION_COOKIE_PREFIX } from '../../http/credentials.js';

/**
 * Where a plain HTTP call to a function came in: on the function's own host name, or by the path
 * form on the API's origin, where user code must never act as the API.
 */
export type CallOrigin = 'function-host' | 'api-origin';

/** Request headers that prove a caller to Plinth; user code never sees them. */
const CREDENTIAL_HEADERS = new Set(['x-appwrite-session', 'x-appwrite-jwt', 'x-appwrite-key', 'x-appwrite-dev-key', 'x-fallback-cookies']);
/** Response headers by which Plinth hands out sessions (the web SDK stores them): never a function's to send. */
const SESSION_RESPONSE_HEADERS = new Set(['x-fallback-cookies', 'x-appwrite-session']);
/** The runtime joins several Set-Cookie lines with `, `; a comma before `name=` starts the next (Expires dates hold commas too). */
const SET_COOKIE_BOUNDARY = /,\s*(?=[^;,=\s]+=)/;

/** Any project's session cookie or its legacy twin; browsers trim names, so this does too. */
function isSessionCookie(name: string): boolean {
  return name.trim().toLowerCase().startsWith(SESSION_COOKIE_PREFIX);
}

/**
 * The caller's headers as the function gets them: none of the caller's Plinth credentials. On the
 * API's origin every cookie is the API's (functions cannot set any there), so none goes; on a
 * function's own host its own cookies go, but no session cookie that a parent domain spread to it.
 */
export function withoutCallerCredentials(headers: Record<string, string>, origin: CallOrigin): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (CREDENTIAL_HEADERS.has(lower)) continue;
    if (lower === 'cookie') {
      if (origin === 'api-origin') continue;
      const cookies = value.split(';').filter((pair) => pair.trim() !== '' && !isSessionCookie(pair.split('=')[0]!));
      if (cookies.length > 0) kept[lower] = cookies.map((pair) => pair.trim()).join('; ');
      continue;
    }
    kept[lower] = value;
  }
  return kept;
}

/**
 * Cookies a function may set on its own host: no session cookie of any project, and no `Domain`
 * attribute, which would reach the API or other functions' hosts under the same parent domain.
 */
function hostOnlyCookies(joined: string): string[] {
  return joined.split(SET_COOKIE_BOUNDARY).filter((line) => {
    const [pair = '', ...attributes] = line.split(';');
    if (isSessionCookie(pair.split('=')[0]!)) return false;
    return !attributes.some((attribute) => attribute.split('=')[0]!.trim().toLowerCase() === 'domain');
  });
}

/**
 * The function's response headers as the browser gets them. On the API's origin the answer is
 * sandboxed (`Content-Security-Policy: sandbox` gives it an opaque origin of its own), sets no
 * cookies and gets no CORS at all, so no page reads it with the caller's credentials; on its own
 * host a function keeps its cookies and CORS, minus what could touch Plinth's sessions.
 */
export function isolatedResponseHeaders(headers: Record<string, string>, origin: CallOrigin): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (SESSION_RESPONSE_HEADERS.has(lower)) continue;
    if (origin === 'api-origin' && (lower === 'set-cookie' || lower.startsWith('access-control-'))) continue;
    if (lower === 'set-cookie') {
      const cookies = hostOnlyCookies(value);
      if (cookies.length > 0) kept[lower] = cookies;
      continue;
    }
    kept[lower] = value;
  }
  if (origin === 'api-origin') {
    // A policy of the function's own still applies beside the sandbox: each listed policy is enforced.
    const own = kept['content-security-policy'];
    kept['content-security-policy'] = typeof own === 'string' && own.trim() !== '' ? [own, 'sandbox'] : 'sandbox';
  }
  return kept;
}
