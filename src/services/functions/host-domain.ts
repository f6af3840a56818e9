import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { findFunctionHostProject } from '../../data/platform/function-hosts.js';
import type { ServiceDeps } from '../deps.js';
import { DEFAULT_FUNCTIONS_SETTINGS } from './settings.js';

/** The function each rewritten request is for; nothing a client sends can mark a request so. */
const calls = new WeakMap<IncomingMessage, string>();

/** Whether the request came on a function's own host (its whole query then belongs to the function). */
export function cameOnFunctionHost(request: FastifyRequest): boolean {
  return calls.has(request.raw);
}

/**
 * Plain HTTP on `<functionId>.functions.<domain>`: every path of such a host belongs to the
 * function. The URL is rewritten to the path form (`/v1/functions/<id>/run/<path>`) before
 * routing, and the project is then found from the function id, since such a request names none.
 */
export function functionHostRouting(deps: ServiceDeps): {
  rewriteUrl: (request: IncomingMessage) => string;
  onRequest: (request: FastifyRequest) => Promise<void>;
} {
  const suffix = `.${(deps.functions ?? DEFAULT_FUNCTIONS_SETTINGS).hostDomain}`;
  return {
    rewriteUrl(request) {
      const url = request.url ?? '/';
      const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
      if (!host.endsWith(suffix)) return url;
      const functionId = host.slice(0, -suffix.length);
      if (functionId === '') return url;
      calls.set(request, functionId);
      return `/v1/functions/${functionId}/run${url.startsWith('/') ? url : `/${url}`}`;
    },
    async onRequest(request) {
      const functionId = calls.get(request.raw);
      if (functionId === undefined) return;
      const projectId = await findFunctionHostProject(deps.db.platform, functionId);
      if (projectId === undefined) throw new AppError('function_not_found');
      // Whatever project the client named, the host decides.
      request.headers['x-appwrite-project'] = projectId;
    },
  };
}
