import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller } from './caller.js';

/**
 * Who made a change: an administrator acting on a project in admin mode, a server with an
 * API key, or a signed-in user. Events carry it so an audit log can say who did what.
 */
export type Actor =
  | { type: 'admin'; userId: string; email: string }
  | { type: 'key'; keyId: string }
  | { type: 'user'; userId: string };

/** The actor a caller's changes are credited to: none for guests and the server's own jobs. */
export function actorOf(caller: Caller): Actor | undefined {
  switch (caller.kind) {
    case 'admin':
      return { type: 'admin', userId: caller.adminId ?? '', email: caller.adminEmail ?? '' };
    case 'key':
      return { type: 'key', keyId: caller.keyId ?? '' };
    case 'user':
      return { type: 'user', userId: caller.userId ?? '' };
    case 'guest':
    case 'server':
      return undefined;
  }
}

const requestActors = new AsyncLocalStorage<Actor | undefined>();

/** Runs the rest of a request with its actor known to whatever it publishes. */
export function runAsActor(actor: Actor | undefined, work: () => void): void {
  requestActors.run(actor, work);
}

/** The actor of the request being served; undefined for guests, jobs and workers. */
export function currentActor(): Actor | undefined {
  return requestActors.getStore();
}
