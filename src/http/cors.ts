import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackHostname } from '../core/hostnames.js';
import type { AuthDeps } from '../auth/deps.js';
import { isProjectWebHost } from '../auth/server-hosts.js';

export const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/** Request headers the SDKs send; browsers must be told each one is allowed. */
export const ALLOWED_HEADERS = [
  'Accept',
  'Origin',
  'Cookie',
  'Set-Cookie',
  'Content-Type',
  'Content-Range',
  'Range',
  'Cache-Control',
  'X-Requested-With',
  'X-Forwarded-For',
  'X-Forwarded-User-Agent',
  'X-Appwrite-Project',
  'X-Appwrite-Key',
  'X-Appwrite-Dev-Key',
  'X-Appwrite-Locale',
  'X-Appwrite-Mode',
  'X-Appwrite-JWT',
  'X-Appwrite-Response-Format',
  'X-Appwrite-Timeout',
  'X-Appwrite-ID',
  'X-Appwrite-Timestamp',
  'X-Appwrite-Session',
  'X-Appwrite-Impersonate-User-Id',
  'X-Appwrite-Impersonate-User-Email',
  'X-Appwrite-Impersonate-User-Phone',
  'X-SDK-Version',
  'X-SDK-Name',
  'X-SDK-Language',
  'X-SDK-Platform',
  'X-SDK-GraphQL',
  'X-Fallback-Cookies',
].join(', ');

/** Response headers a page may read: the web SDK keeps fallback cookies from them. */
export const EXPOSED_HEADERS = 'X-Appwrite-Session, X-Fallback-Cookies';

export type OriginVerdict = 'none' | 'allowed' | 'unknown';

function hostnameOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}

function requestHostname(request: FastifyRequest): string {
  return request.hostname.replace(/:\d+$/, '');
}

/**
 * An origin may call a project when it is local, the server itself, or the hostname of
 * one of the project's web platforms. Only then does the browser get CORS headers.
 */
export async function checkOrigin(
  deps: AuthDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  projectId: string | undefined,
): Promise<OriginVerdict> {
  const origin = request.headers.origin;
  if (!origin) return 'none';
  const hostname = hostnameOf(origin);
  const allowed =
    hostname !== undefined &&
    (isLoopbackHostname(hostname) ||
      hostname === requestHostname(request) ||
      (projectId !== undefined && (await isProjectWebHost(deps, projectId, hostname))));
  reply.header('Vary', 'Origin');
  if (!allowed) return 'unknown';
  reply.header('Access-Control-Allow-Origin', origin);
  reply.header('Access-Control-Allow-Credentials', 'true');
  reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return 'allowed';
}

/** Answers a preflight: every origin may ask; the real request is checked when it comes. */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (origin) {
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Allow-Credentials', 'true');
    reply.header('Vary', 'Origin');
  }
  reply
    .header('Access-Control-Allow-Methods', ALLOWED_METHODS)
    .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
    .header('Access-Control-Expose-Headers', EXPOSED_HEADERS)
    .header('Access-Control-Max-Age', '86400')
    .code(204)
    .send();
}
