import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { RuntimeLease } from '../../infra/sandbox/runtime-pool.js';
import { OutOfMemoryError } from '../../infra/sandbox/runtime-pool.js';
import { plinthPage } from './pages.js';
import { ssrRequestHeaders, ssrResponseHeaders } from './ssr-headers.js';

class ServerTimeoutError extends Error {}

/** How one proxied request went. */
export interface ProxyOutcome {
  statusCode: number;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  /** What went wrong on Plinth's side of the exchange, for the request's log. */
  failure: string;
}

export function sendPlinthPage(response: ServerResponse, status: number, title: string, detail: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  response.end(plinthPage(status, title, detail));
}

/** Plinth's page for a server that failed to answer, and its status. */
function failurePage(error: Error): { status: number; title: string; detail: string } {
  if (error instanceof OutOfMemoryError) return { status: 503, title: 'Service Unavailable', detail: "The site's server ran out of memory and was stopped. Try again." };
  if (error instanceof ServerTimeoutError) return { status: 504, title: 'Gateway Timeout', detail: "The site's server did not answer in time." };
  return { status: 502, title: 'Bad Gateway', detail: "The site's server stopped before it answered. Try again." };
}

/**
 * Passes one visitor's request to the site's server process and its answer back, both streamed:
 * method, path and query as they came, headers without hop-by-hop ones or Plinth's credentials.
 * Headers must arrive within `timeoutSeconds`; the body then flows for as long as it takes.
 */
export function proxyToSsr(
  lease: RuntimeLease,
  request: IncomingMessage,
  response: ServerResponse,
  forwarded: { host: string; proto: string; clientIp: string },
  timeoutSeconds: number,
): Promise<ProxyOutcome> {
  const headers = ssrRequestHeaders(request.headers, forwarded);
  const outcome: ProxyOutcome = { statusCode: 0, requestHeaders: headers, responseHeaders: {}, failure: '' };
  return new Promise((resolve) => {
    let settled = false;
    let visitorLeft = false;
    const fail = async (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The exchange was cut on the visitor's side: nothing of the server's to explain (which waits for an exit).
      const explained = error instanceof ServerTimeoutError || visitorLeft ? error : await lease.explain(error);
      const page = failurePage(explained);
      outcome.statusCode = response.headersSent ? outcome.statusCode : page.status;
      outcome.failure = explained.message;
      sendPlinthPage(response, page.status, page.title, page.detail);
      resolve(outcome);
    };
    const outgoing = httpRequest({ socketPath: lease.socketPath, agent: lease.agent, method: request.method, path: request.url ?? '/', headers }, (incoming) => {
      clearTimeout(timer);
      outcome.statusCode = incoming.statusCode ?? 502;
      const answer = ssrResponseHeaders(incoming.headers);
      for (const [name, value] of Object.entries(answer)) if (typeof value === 'string') outcome.responseHeaders[name] = value;
      response.writeHead(outcome.statusCode, answer);
      pipeline(incoming, response).then(
        () => {
          settled = true;
          resolve(outcome);
        },
        (error: Error) => {
          // Headers are out: a body cut short ends the connection, so the visitor sees it unfinished.
          if (!response.writableFinished) void fail(error);
          else {
            settled = true;
            resolve(outcome);
          }
        },
      );
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      lease.stop();
      void fail(new ServerTimeoutError(`The site's server did not answer within ${timeoutSeconds} s.`));
    }, timeoutSeconds * 1000);
    outgoing.on('error', (error) => void fail(error));
    // A visitor who leaves takes the exchange with them.
    response.on('close', () => {
      if (response.writableFinished) return;
      visitorLeft = true;
      outgoing.destroy();
    });
    request.pipe(outgoing);
  });
}
