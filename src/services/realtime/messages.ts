import type { RawData } from 'ws';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import type { ServiceDeps } from '../deps.js';
import { keepPresencesAlive, upsertPresence } from '../presences/index.js';
import { identify } from './connection-auth.js';
import type { RealtimeConnection, Subscription } from './connection.js';
import type { RealtimeHub } from './hub.js';
import { parseSubscriptionQueries, type SubscriptionFilter } from './subscription-queries.js';

/** Error codes of the realtime protocol (websocket close codes). */
export const INVALID_MESSAGE = 1003;
export const POLICY_VIOLATION = 1008;
export const TRY_AGAIN_LATER = 1013;

const MAX_SUBSCRIPTIONS = 100;
const MAX_CHANNELS = 100;
const MAX_SESSION_LENGTH = 2048;

/** A subscribe entry, checked and compiled before anything changes. */
interface SubscribeRequest {
  subscriptionId: string;
  channels: string[];
  filter: SubscriptionFilter;
}

class MessageError extends Error {}

/** Handles one client frame in order; an error answers the client and keeps the socket. */
export function handleMessage(deps: ServiceDeps, hub: RealtimeHub, connection: RealtimeConnection, raw: RawData): void {
  if (!connection.allowMessage()) {
    connection.sendError(TRY_AGAIN_LATER, 'Too many messages.');
    return;
  }
  let message: { type?: unknown; data?: unknown };
  try {
    message = JSON.parse(raw.toString()) as typeof message;
  } catch {
    connection.sendError(INVALID_MESSAGE, 'Message format is not valid.');
    return;
  }
  if (typeof message !== 'object' || message === null || typeof message.type !== 'string') {
    connection.sendError(INVALID_MESSAGE, 'Message format is not valid.');
    return;
  }
  const { type, data } = message;
  try {
    switch (type) {
      case 'ping':
        connection.sendMessage('pong', null);
        refreshPresences(deps, hub, connection);
        return;
      case 'authentication':
        authenticate(deps, hub, connection, data);
        return;
      case 'subscribe':
        subscribe(hub, connection, data);
        return;
      case 'unsubscribe':
        unsubscribe(hub, connection, data);
        return;
      case 'presence':
        setPresence(deps, hub, connection, data);
        return;
      default:
        connection.sendError(INVALID_MESSAGE, `Message type is not valid: ${type}`);
    }
  } catch (error) {
    if (error instanceof MessageError || error instanceof AppError) connection.sendError(INVALID_MESSAGE, error.message);
    else throw error;
  }
}

/** In-band sign-in: the session travels as the cookie's value; the `account` channels then bind to the user. */
function authenticate(deps: ServiceDeps, hub: RealtimeHub, connection: RealtimeConnection, data: unknown): void {
  const session = (data as { session?: unknown } | null)?.session;
  if (typeof session !== 'string' || session === '' || session.length > MAX_SESSION_LENGTH) {
    throw new MessageError('Payload is not valid.');
  }
  // Events wait behind the check, so none is judged by the roles of the wrong identity.
  hub.afterGate(connection, async () => {
    const identity = await identify(deps, connection.projectId, { session: { token: session } }, connection.identity.caller.ip);
    if (!identity.caller.userId) {
      connection.sendError(INVALID_MESSAGE, 'Session is not valid.');
      return;
    }
    hub.setIdentity(connection, identity);
    connection.sendMessage('response', { to: 'authentication', success: true, user: identity.account });
  });
}

/** A refresh a minute at most: the SDK pings every 20 s, well inside a presence's lifetime. */
const PRESENCE_REFRESH_MS = 60_000;

/** Pings are the connection's sign of life: they keep its presences from lapsing. */
function refreshPresences(deps: ServiceDeps, hub: RealtimeHub, connection: RealtimeConnection): void {
  const { userId } = connection.identity.caller;
  if (!userId || connection.presenceIds.size === 0 || Date.now() - connection.presencesRefreshedAt < PRESENCE_REFRESH_MS) return;
  connection.presencesRefreshedAt = Date.now();
  hub.afterGate(connection, () => keepPresencesAlive(deps, connection.projectId, userId, [...connection.presenceIds]));
}

/** `presence`: the signed-in user's presence, set as the REST upsert does, and ended when this socket closes. */
function setPresence(deps: ServiceDeps, hub: RealtimeHub, connection: RealtimeConnection, data: unknown): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new MessageError('Payload is not valid.');
  const { status, presenceId, metadata, permissions } = data as Record<string, unknown>;
  if (typeof status !== 'string' || status.length > 255) throw new MessageError('Payload is not valid: status must be a string of at most 255 characters.');
  if (presenceId !== undefined && (typeof presenceId !== 'string' || presenceId.length > 36)) throw new MessageError('Payload is not valid: presenceId must be a string.');
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) throw new MessageError('Payload is not valid: metadata must be an object.');
  if (permissions !== undefined && (!Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string'))) {
    throw new MessageError('Payload is not valid: permissions must be a list of strings.');
  }
  hub.afterGate(connection, async () => {
    const { caller } = connection.identity;
    if (!caller.userId) {
      connection.sendError(401, 'The presence needs a signed-in user.');
      return;
    }
    try {
      const presence = await upsertPresence(
        deps,
        connection.projectId,
        caller,
        (presenceId as string | undefined) ?? 'unique()',
        { status, ...(metadata ? { metadata: metadata as Record<string, unknown> } : {}), ...(permissions ? { permissions: permissions as string[] } : {}) },
        'realtime',
      );
      connection.presenceIds.add(presence.$id as string);
      connection.presencesRefreshedAt = Date.now();
      connection.sendMessage('response', { to: 'presence', presence });
    } catch (error) {
      if (error instanceof AppError) connection.sendError(error.code, error.message);
      else throw error;
    }
  });
}

function subscribe(hub: RealtimeHub, connection: RealtimeConnection, data: unknown): void {
  if (!Array.isArray(data) || data.length === 0) throw new MessageError('Payload is not valid: subscribe takes a list of subscriptions.');
  const requests = data.map(readSubscribeRequest);
  const added = new Set(requests.map((request) => request.subscriptionId).filter((id) => !connection.subscriptions.has(id)));
  if (connection.subscriptions.size + added.size > MAX_SUBSCRIPTIONS) {
    throw new MessageError(`Payload is not valid: a connection holds at most ${MAX_SUBSCRIPTIONS} subscriptions.`);
  }
  const touched: [string, Subscription][] = [];
  for (const request of requests) {
    let subscription = connection.subscriptions.get(request.subscriptionId);
    if (!subscription) {
      subscription = { requested: new Map(), bound: new Map() };
      connection.subscriptions.set(request.subscriptionId, subscription);
    }
    // Sending an id again replaces the filter of the channels it lists; its other channels stay.
    for (const channel of request.channels) subscription.requested.set(channel, request.filter);
    touched.push([request.subscriptionId, subscription]);
  }
  hub.reindex(connection);
  connection.sendMessage('response', {
    to: 'subscribe',
    success: true,
    subscriptions: touched.map(([subscriptionId, subscription]) => ({
      subscriptionId,
      channels: [...subscription.bound.keys()],
      queries: requests.find((request) => request.subscriptionId === subscriptionId)!.filter.queries,
    })),
  });
}

function readSubscribeRequest(entry: unknown): SubscribeRequest {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new MessageError('Payload is not valid: each subscription is an object.');
  const { subscriptionId, channels, queries } = entry as Record<string, unknown>;
  if (subscriptionId !== undefined && (typeof subscriptionId !== 'string' || subscriptionId === '' || subscriptionId.length > 255)) {
    throw new MessageError('Payload is not valid: subscriptionId must be a non-empty string.');
  }
  if (!Array.isArray(channels) || channels.length === 0 || channels.length > MAX_CHANNELS) {
    throw new MessageError(`Payload is not valid: channels must list 1 to ${MAX_CHANNELS} channels.`);
  }
  if (!channels.every((channel) => typeof channel === 'string' && channel !== '' && channel.length <= 512)) {
    throw new MessageError('Payload is not valid: each channel is a non-empty string.');
  }
  if (queries !== undefined && (!Array.isArray(queries) || !queries.every((query) => typeof query === 'string'))) {
    throw new MessageError('Payload is not valid: queries must be a list of strings.');
  }
  return {
    subscriptionId: (subscriptionId as string | undefined) ?? uniqueId(),
    channels: [...new Set(channels as string[])],
    filter: parseSubscriptionQueries((queries as string[] | undefined) ?? []),
  };
}

function unsubscribe(hub: RealtimeHub, connection: RealtimeConnection, data: unknown): void {
  if (!Array.isArray(data) || data.length === 0) throw new MessageError('Payload is not valid: unsubscribe takes a list of subscriptions.');
  const ids = data.map((entry) => {
    const id = (entry as { subscriptionId?: unknown } | null)?.subscriptionId;
    if (typeof id !== 'string' || id === '') throw new MessageError('Payload is not valid: each entry needs a subscriptionId.');
    return id;
  });
  const results = ids.map((subscriptionId) => ({ subscriptionId, removed: connection.subscriptions.delete(subscriptionId) }));
  hub.reindex(connection);
  connection.sendMessage('response', { to: 'unsubscribe', success: true, subscriptions: results });
}
