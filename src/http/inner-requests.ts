import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestContext } from './context.js';

/**
 * Requests the server sends itself while answering one of its own (a GraphQL field runs its
 * route): they act as the outer request's caller, already resolved and checked, instead of
 * reading the same credentials, project and origin once more.
 */
const outerContexts = new AsyncLocalStorage<RequestContext>();

/** Runs `send`, whose requests to this server act as the caller of `context`. */
export function sendAsCaller<T>(context: RequestContext, send: () => T): T {
  return outerContexts.run(context, send);
}

/** The caller a request sent from inside another acts as; undefined for requests from the network. */
export function outerCallerContext(): RequestContext | undefined {
  return outerContexts.getStore();
}
