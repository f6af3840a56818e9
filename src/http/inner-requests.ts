import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from './context.js';

/**
 * Requests the server sends itself while answering one of its own (a GraphQL field runs its
 * route) act as the outer request's caller, already resolved and checked, instead of reading
 * the same credentials, project and origin once more. Each such request carries a token naming
 * that caller; the token works once, and is gone before any handler sees the headers.
 */
const INNER_CALL_HEADER = 'x-plinth-inner-call';
const pending = new Map<string, RequestContext>();

/**
 * Tokens are this process's secret and a count: unguessable from outside, which is all a token
 * needs, without asking the system for random bytes on every field of every GraphQL request.
 */
const TOKEN_SECRET = randomBytes(24).toString('base64url');
let tokensIssued = 0;

/** Runs `send` with the headers that make the one request it sends act as the caller of `context`. */
export async function sendAsCaller<T>(context: RequestContext, send: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  const token = `${TOKEN_SECRET}.${++tokensIssued}`;
  pending.set(token, context);
  try {
    return await send({ [INNER_CALL_HEADER]: token });
  } finally {
    pending.delete(token);
  }
}

/** The caller a request sent from inside another acts as; undefined for requests from the network. */
export function takeOuterCaller(request: FastifyRequest): RequestContext | undefined {
  const token = request.headers[INNER_CALL_HEADER];
  if (token === undefined) return undefined;
  delete request.headers[INNER_CALL_HEADER];
  if (typeof token !== 'string') return undefined;
  const context = pending.get(token);
  pending.delete(token);
  return context;
}
