import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { withoutCallerCredentials } from '../functions/index.js';

/** Headers of one hop only (RFC 9110 §7.6.1), never passed on by a proxy. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Headers a visitor may not set: those the proxy itself says. */
const PROXY_SET = /^x-forwarded-|^forwarded$/;
/** Response headers by which Plinth hands out sessions: never a site's to send. */
const SESSION_RESPONSE_HEADERS = new Set(['x-fallback-cookies', 'x-appwrite-session']);
const SESSION_COOKIE = /^\s*a_session_/i;

/** Header names the Connection header lists as its hop's own. */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  return new Set((typeof value === 'string' ? value : '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}

/**
 * The visitor's headers as the site's server gets them: hop-by-hop headers dropped, no Plinth
 * credential and no session cookie of any project (a parent domain's cookies reach site hosts
 * too), and the forwarding headers said by Plinth alone.
 */
export function ssrRequestHeaders(headers: IncomingHttpHeaders, forwarded: { host: string; proto: string; clientIp: string }): Record<string, string> {
  const listed = connectionListed(headers);
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || PROXY_SET.test(name)) continue;
    flat[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  }
  return {
    ...withoutCallerCredentials(flat, 'function-host'),
    'x-forwarded-host': forwarded.host,
    'x-forwarded-proto': forwarded.proto,
    'x-forwarded-for': forwarded.clientIp,
  };
}

/** A cookie a site may set on its host: not a session cookie of Plinth, and no `Domain` that would reach the API's hosts. */
function isHostOnlyCookie(line: string): boolean {
  const [pair = '', ...attributes] = line.split(';');
  if (SESSION_COOKIE.test(pair.split('=')[0]!)) return false;
  return !attributes.some((attribute) => attribute.split('=')[0]!.trim().toLowerCase() === 'domain');
}

/** The site server's response headers as the visitor gets them. */
export function ssrResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || SESSION_RESPONSE_HEADERS.has(name)) continue;
    if (name === 'set-cookie') {
      const cookies = (Array.isArray(value) ? value : [value]).filter(isHostOnlyCookie);
      if (cookies.length > 0) kept[name] = cookies;
      continue;
    }
    kept[name] = value;
  }
  return kept;
}
