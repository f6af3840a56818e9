import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { isLoopbackHostname } from '../../core/hostnames.js';
import { uniqueId } from '../../core/ids.js';
import { readCredentials } from '../../http/credentials.js';
import type { ServiceDeps } from '../deps.js';
import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';
import { isProjectWebHost } from '../../auth/server-hosts.js';
import type { ConnectionCredentials } from './connection-auth.js';
import type { Subscription } from './connection.js';
import { MATCH_ALL, parseSubscriptionQueries, type SubscriptionFilter } from './subscription-queries.js';

/** A browser may connect from a local origin, the server's own, or a web platform of the project, as CORS allows. */
export async function originAllowed(deps: ServiceDeps, request: FastifyRequest, projectId: string): Promise<boolean> {
  const origin = request.headers.origin;
  if (!origin) return true;
  let hostname: string;
  try {
    hostname = new URL(origin).hostname;
  } catch {
    return false;
  }
  if (isLoopbackHostname(hostname) || hostname === request.hostname.replace(/:\d+$/, '')) return true;
  return isProjectWebHost(deps, projectId, hostname);
}

/**
 * Session or JWT from the upgrade request, read as a REST request's are; a forbidden mix
 * proves nobody. A browser cannot set headers on a websocket, so the web SDK puts a JWT
 * given to `setJWT()` in the URL (`jwt=`): it counts when nothing else was sent. In admin mode
 * (`X-Appwrite-Mode: admin`, or `mode=admin` in the URL for a browser) the console's session
 * comes along too.
 */
export function handshakeCredentials(request: FastifyRequest, projectId: string): ConnectionCredentials | undefined {
  try {
    const credentials = readCredentials(request, projectId);
    const query = request.query as Record<string, unknown> | undefined;
    const fromUrl = query?.jwt;
    const jwt = credentials.jwt ?? (!credentials.session && typeof fromUrl === 'string' && fromUrl !== '' ? fromUrl : undefined);
    const adminMode = projectId !== CONSOLE_PROJECT_ID && (request.headers['x-appwrite-mode'] ?? query?.mode) === 'admin';
    const adminSession = adminMode ? readCredentials(request, CONSOLE_PROJECT_ID).session?.token : undefined;
    return { ...(credentials.session ? { session: { token: credentials.session.token } } : {}), ...(jwt ? { jwt } : {}), ...(adminSession ? { adminSession } : {}) };
  } catch (error) {
    if (error instanceof AppError) return undefined;
    throw error;
  }
}

/**
 * Subscriptions named in the URL: `channels[]=…`, each optionally filtered per slot with
 * `<channel, dots as underscores>[<slot>][]=<query>`. Each slot is one subscription; a
 * channel without queries listens unfiltered in slot 0.
 */
export function urlSubscriptions(query: unknown): Map<string, { id: string; subscription: Subscription }> {
  const params = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const raw = params.channels;
  const channels = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((c): c is string => typeof c === 'string' && c !== '');
  const slots = new Map<string, Map<string, SubscriptionFilter>>();
  const slot = (key: string) => {
    let found = slots.get(key);
    if (!found) {
      found = new Map();
      slots.set(key, found);
    }
    return found;
  };
  for (const channel of new Set(channels)) {
    const perSlot = params[channel.replaceAll('.', '_')];
    const entries = slotEntries(perSlot);
    if (entries.length === 0) slot('0').set(channel, MATCH_ALL);
    for (const [key, queries] of entries) slot(key).set(channel, parseSubscriptionQueries(queries));
  }
  const result = new Map<string, { id: string; subscription: Subscription }>();
  for (const [key, requested] of slots) result.set(key, { id: uniqueId(), subscription: { requested, bound: new Map() } });
  return result;
}

function slotEntries(value: unknown): [string, string[]][] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [['0', [value]]];
  // `<channel>[]=a&<channel>[]=b`: one slot holding both.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [['0', value as string[]]];
  const entries: [string, string[]][] = [];
  const source = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  for (const [key, queries] of source) {
    const list = Array.isArray(queries) ? queries : [queries];
    if (!list.every((q) => typeof q === 'string')) throw new AppError('general_query_invalid', 'Invalid query: Syntax error');
    entries.push([key, list as string[]]);
  }
  return entries;
}
