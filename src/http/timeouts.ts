import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';

/** How long a client may take to send a request, in seconds; 0 turns a limit off. */
export interface HttpTimeouts {
  /** From the connection (or the previous response) to the end of the request head. */
  headersSeconds: number;
  /** From the start to the end of a whole request, body included. */
  requestSeconds: number;
  /** How long a kept-alive connection may sit idle between requests (at least 1: Fastify reads 0 as its default). */
  keepAliveSeconds: number;
  /** How long a request body may stop arriving before its connection is dropped. */
  bodyIdleSeconds: number;
}

/** Node's and Fastify's defaults, for servers built without settings (tests, the route listing). */
export const NODE_TIMEOUTS: HttpTimeouts = { headersSeconds: 60, requestSeconds: 300, keepAliveSeconds: 72, bodyIdleSeconds: 0 };

/**
 * Options for `http.createServer` (Fastify sets the keep-alive and request limits again after it).
 * Node checks the head and request limits on a timer, which must run often enough for them.
 */
export function httpServerOptions(timeouts: HttpTimeouts): ServerOptions {
  const headersTimeout = timeouts.headersSeconds * 1000;
  const requestTimeout = timeouts.requestSeconds * 1000;
  const shortest = Math.min(...[headersTimeout, requestTimeout].filter((ms) => ms > 0), 60_000);
  return { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.max(250, Math.floor(shortest / 4)) };
}

/**
 * Drops a connection whose request body stops arriving for the idle limit. The limit holds
 * only while the body is read, so slow handlers (a synchronous execution) and upgraded
 * websockets, which never pass through here, keep their connections.
 */
export function dropIdleBodies(server: Server, timeouts: HttpTimeouts): void {
  const idleMs = timeouts.bodyIdleSeconds * 1000;
  if (idleMs === 0) return;
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!carriesBody(request)) return;
    const socket = request.socket;
    socket.setTimeout(idleMs);
    request.once('end', () => {
      // A finished response already gave the socket its keep-alive timeout.
      if (!response.writableFinished) socket.setTimeout(server.timeout);
    });
  });
}

function carriesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
