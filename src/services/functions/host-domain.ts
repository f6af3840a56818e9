import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { findFunctionHost } from '../../data/platform/function-hosts.js';
import type { ServiceDeps } from '../deps.js';
import { DEFAULT_FUNCTIONS_SETTINGS } from './settings.js';

/** The host label each rewritten request came on; nothing a client sends can mark a request so. */
const calls = new WeakMap<IncomingMessage, string>();
/** The function a host label named, once found. */
const targets = new WeakMap<IncomingMessage, string>();
/** Requests a custom domain's rule sent to a function before routing, with the function it named. */
const ruled = new WeakMap<IncomingMessage, { projectId: string; functionId: string }>();

/**
 * Serves a request on another host (a rule's domain) as the function's own host name would be:
 * every path goes to the function, with the host's cookies and its whole query.
 */
export function sendToFunction(request: IncomingMessage, target: { projectId: string; functionId: string }): void {
  const url = request.url ?? '/';
  ruled.set(request, target);
  calls.set(request, target.functionId);
  request.url = `/v1/functions/${encodeURIComponent(target.functionId)}/run${url.startsWith('/') ? url : `/${url}`}`;
}

/** Whether the request came on a function's own host (its whole query then belongs to the function). */
export function cameOnFunctionHost(request: FastifyRequest): boolean {
  return calls.has(request.raw);
}

/** The function a request on a function's own host is for (the label may name it with its project). */
export function functionOfHost(request: FastifyRequest): string | undefined {
  return targets.get(request.raw);
}

/**
 * Plain HTTP on `<label>.functions.<domain>` (the label is the function id, or `<functionId>--<projectId>`):
 * every path of such a host belongs to the function. The URL is rewritten to the path form
 * (`/v1/functions/<label>/run/<path>`) before routing; the function and its project are then found
 * from the label, since such a request names no project.
 */
export function functionHostRouting(deps: ServiceDeps): {
  rewriteUrl: (request: IncomingMessage) => string;
  onRequest: (request: FastifyRequest) => Promise<void>;
} {
  const suffix = `.${(deps.functions ?? DEFAULT_FUNCTIONS_SETTINGS).hostDomain}`;
  return {
    rewriteUrl(request) {
      const url = request.url ?? '/';
      if (ruled.has(request)) return url;
      const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
      if (!host.endsWith(suffix)) return url;
      const label = host.slice(0, -suffix.length);
      if (label === '' || label.includes('.')) return url;
      calls.set(request, label);
      return `/v1/functions/${label}/run${url.startsWith('/') ? url : `/${url}`}`;
    },
    async onRequest(request) {
      const label = calls.get(request.raw);
      if (label === undefined) return;
      const target = ruled.get(request.raw);
      if (target !== undefined) {
        targets.set(request.raw, target.functionId);
        request.headers['x-appwrite-project'] = target.projectId;
        return;
      }
      const found = await findFunctionHost(deps.db.platform, label);
      if (found === undefined) throw new AppError('function_not_found');
      targets.set(request.raw, found.functionId);
      // Whatever project the client named, the host decides.
      request.headers['x-appwrite-project'] = found.projectId;
    },
  };
}
