import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/**
 * An older path that still answers as a current route: `path` is rewritten to `target`
 * before routing, so the alias is that route (scope, limits, validation, handler). A path
 * parameter the target's path lacks joins the body, as Appwrite's router merges them.
 */
export interface RouteAlias {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under `/v1`, with `:name` parameters: `/account/sessions`. */
  path: string;
  /** The route answering it, with the same parameter names. */
  target: string;
}

interface CompiledAlias {
  method: string;
  segments: string[];
  target: string[];
  /** Parameters of the alias's path that the target's path does not hold. */
  toBody: string[];
}

const bodyParams = new WeakMap<IncomingMessage, Record<string, string>>();

/** Rewrites a request for an alias to its target; other URLs pass unchanged. */
export function aliasRewriter(aliases: RouteAlias[]): (request: IncomingMessage, url: string) => string {
  const compiled = aliases.map(compile);
  return (request, url) => {
    const method = request.method ?? 'GET';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const segments = path.split('/').filter((segment) => segment !== '');
    for (const alias of compiled) {
      if (alias.method !== method) continue;
      const params = match(alias.segments, segments);
      if (params === undefined) continue;
      const moved = Object.fromEntries(alias.toBody.map((name) => [name, decodeURIComponent(params[name] ?? '')]));
      if (alias.toBody.length > 0) bodyParams.set(request, moved);
      const target = alias.target.map((segment) => (segment.startsWith(':') ? (params[segment.slice(1)] ?? '') : segment));
      return `/${target.join('/')}${queryAt === -1 ? '' : url.slice(queryAt)}`;
    }
    return url;
  };
}

/** Puts the alias's path parameters its route reads from the body into the body; path wins, as in Appwrite. */
export function moveAliasParams(request: FastifyRequest): void {
  const moved = bodyParams.get(request.raw);
  if (moved === undefined) return;
  const body = request.body;
  const current = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  request.body = { ...current, ...moved };
}

function compile(alias: RouteAlias): CompiledAlias {
  const segments = `/v1${alias.path}`.split('/').filter((segment) => segment !== '');
  const target = `/v1${alias.target}`.split('/').filter((segment) => segment !== '');
  const targetParams = new Set(target.filter((segment) => segment.startsWith(':')));
  const toBody = segments.filter((segment) => segment.startsWith(':') && !targetParams.has(segment)).map((segment) => segment.slice(1));
  return { method: alias.method, segments, target, toBody };
}

function match(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const actual = segments[i] as string;
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}
