import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import type { AuthDeps } from '../auth/deps.js';
import { countRateLimitHit } from '../auth/rate-limits.js';

/** What a limit is counted per, as Appwrite's `url:{url},email:{param-email}` keys. */
export type RateLimitKeyPart = 'ip' | 'url' | 'user' | { param: string };

export interface RateLimitConfig {
  /** Requests allowed per window and key. */
  limit: number;
  windowSeconds: number;
  /** The parts of the key; requests agreeing on all of them share one count. */
  key: readonly RateLimitKeyPart[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Abuse limit of the route; none when absent. API-key callers are never limited. */
    rateLimit?: RateLimitConfig;
  }
}

/** What the key parts are read from; `params` holds body, query and route parameters in that order. */
export interface RateLimitSubject {
  projectId: string;
  method: string;
  routeUrl: string;
  ip: string;
  userId: string;
  params: readonly unknown[];
}

/** The counter's column is varchar(255): longer keys are stored as their digest. */
const MAX_KEY_LENGTH = 255;

/** `project:METHOD /v1/route:url:/v1/route,email:ada@example.com`, as Appwrite labels its keys. */
export function buildRateLimitKey(subject: RateLimitSubject, parts: readonly RateLimitKeyPart[]): string {
  const described = parts.map((part) => {
    if (part === 'ip') return `ip:${subject.ip}`;
    if (part === 'url') return `url:${subject.routeUrl}`;
    if (part === 'user') return `user:${subject.userId}`;
    return `${part.param}:${paramValue(subject.params, part.param)}`;
  });
  const key = `${subject.projectId}:${subject.method} ${subject.routeUrl}:${described.join(',')}`;
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** The first source that carries the parameter, lower-cased; empty when none does. */
function paramValue(sources: readonly unknown[], name: string): string {
  for (const source of sources) {
    if (typeof source !== 'object' || source === null) continue;
    const value = (source as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') return value.toLowerCase();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value).toLowerCase();
  }
  return '';
}

/**
 * Counts each request to a route with a `rateLimit` config in the shared store and answers
 * 429 `general_rate_limit_exceeded` past the limit. Runs as a preHandler: the body is parsed
 * and validated, and the request context exists.
 */
export function installRateLimits(app: FastifyInstance, deps: AuthDeps, options: { enabled: boolean }): void {
  if (!options.enabled) return;
  app.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config.rateLimit;
    // API keys, administrators and dev keys are never limited.
    if (!config || !request.ctx || request.ctx.caller.actsForProject || request.ctx.devKey) return;
    const windowMs = config.windowSeconds * 1000;
    const key = buildRateLimitKey(subjectOf(request), config.key);
    const { hits, windowStart } = await countRateLimitHit(deps, key, windowMs, Date.now());
    reply.header('X-RateLimit-Limit', config.limit);
    reply.header('X-RateLimit-Remaining', Math.max(0, config.limit - hits));
    reply.header('X-RateLimit-Reset', Math.ceil((windowStart + windowMs) / 1000));
    if (hits > config.limit) throw new AppError('general_rate_limit_exceeded');
  });
}

function subjectOf(request: FastifyRequest): RateLimitSubject {
  return {
    projectId: request.ctx.projectId,
    method: request.method,
    routeUrl: request.routeOptions.url ?? request.url.split('?')[0]!,
    ip: request.ctx.caller.ip,
    userId: request.ctx.caller.userId ?? '',
    params: [request.body, request.query, request.params],
  };
}
