import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { guestCaller } from '../../core/caller.js';
import { isolatedResponseHeaders, withoutCallerCredentials, type CallOrigin } from './call-isolation.js';
import { runHttpCall } from './executions.js';
import { cameOnFunctionHost, functionOfHost } from './host-domain.js';

/** On a function's own host the id segment is its host label, up to a DNS label's 63 characters. */
const callParams = z.object({ functionId: z.string().max(63), '*': z.string().optional() });
/** Headers that describe the hop to Plinth, not the request the function should see. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'x-appwrite-project']);

function forwardedHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * The path and query the function sees: what follows `/run`, without the `project` parameter
 * Plinth read (on a function's own host, Plinth reads none and the query is left whole).
 */
function forwardedPath(request: FastifyRequest): string {
  // Read from the URL, not the route's wildcard: the router drops a trailing or doubled slash.
  const path = request.url.split('?')[0] ?? '';
  const afterId = path.indexOf('/run', path.indexOf('/functions/') + '/functions/'.length) + '/run'.length;
  const rest = path.slice(afterId).replace(/^\//, '');
  const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  if (!cameOnFunctionHost(request)) query.delete('project');
  const search = query.toString();
  return `/${rest}${search ? `?${search}` : ''}`;
}

/**
 * Plain HTTP calls to a function, for browsers and webhooks: `/v1/functions/<id>/run/<path>`,
 * with the project in `X-Appwrite-Project` or `?project=`, or any path of the function's own host.
 * Method, path, query, headers and the raw body go to the function, without the caller's
 * credentials; its status, headers and body come back, kept from acting as the API (see call-isolation).
 */
export function httpCallRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    // The body goes to the function untouched, whatever its type.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const params = request.params as z.infer<typeof callParams>;
      const functionId = functionOfHost(request) ?? params.functionId;
      const origin: CallOrigin = cameOnFunctionHost(request) ? 'function-host' : 'api-origin';
      // The call runs for nobody: a browser sends cookies with any page's request, so a session
      // found on such a call says nothing of what its user meant; the function gets no user id or JWT.
      const anonymous = guestCaller(request.ctx.caller.ip);
      const answer = await runHttpCall(deps, request.ctx.projectId, functionId, anonymous, {
        method: request.method,
        path: forwardedPath(request),
        headers: withoutCallerCredentials(forwardedHeaders(request), origin),
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      });
      return reply.code(answer.statusCode).headers(isolatedResponseHeaders(answer.headers, origin)).send(answer.body);
    };
    // OPTIONS stays with the server's CORS preflight; HEAD comes with GET.
    const method = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    const config = { scope: 'public', anyOrigin: true, userContent: true };
    app.route({ method, url: '/functions/:functionId/run', config, schema: { params: callParams }, handler });
    app.route({ method, url: '/functions/:functionId/run/*', config, schema: { params: callParams }, handler });
  };
}
