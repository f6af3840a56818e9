import websocket from '@fastify/websocket';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import type { WebSocket } from 'ws';
import { AppError } from '../../core/errors.js';
import { requestedProjectId } from '../../http/context.js';
import type { ServiceDeps } from '../deps.js';
import { endConnectionPresences } from '../presences/index.js';
import { findProjectGate } from '../../auth/project-gate.js';
import { identify } from './connection-auth.js';
import { RealtimeConnection } from './connection.js';
import { handshakeCredentials, originAllowed, urlSubscriptions } from './handshake.js';
import { RealtimeHub } from './hub.js';
import { handleMessage, INVALID_MESSAGE, POLICY_VIOLATION, TRY_AGAIN_LATER } from './messages.js';
import { DEFAULT_REALTIME_SETTINGS } from './settings.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers handshake failures itself, over the upgraded socket, instead of with an HTTP error. */
    ownHandshake?: boolean;
  }
}

/** Frames a client may send before `connected`; more are dropped, as a flood would be. */
const MAX_EARLY_FRAMES = 32;

/** `/v1/realtime`: Appwrite's websocket protocol over this node's connections. */
export function realtimeRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    const settings = deps.realtime ?? DEFAULT_REALTIME_SETTINGS;
    const hub = new RealtimeHub(deps, settings, app.log);
    hub.start();
    app.addHook('onClose', async () => hub.stop());
    await app.register(websocket, { options: { maxPayload: settings.maxFrameBytes } });

    app.get('/realtime', { websocket: true, config: { scope: 'public', ownHandshake: true, service: null } }, (socket, request) => {
      acceptConnection(deps, hub, socket, request).catch((error: unknown) => {
        request.log.error({ err: error }, 'realtime handshake failed');
        closeWith(socket, 1011, 'Server Error');
      });
    });
  };
}

function closeWith(socket: WebSocket, code: number, message: string): void {
  if (socket.readyState === 1) socket.send(JSON.stringify({ type: 'error', data: { code, message } }));
  socket.close(code, message);
}

async function acceptConnection(deps: ServiceDeps, hub: RealtimeHub, socket: WebSocket, request: FastifyRequest): Promise<void> {
  // Frames sent before the handshake finishes wait their turn instead of being lost.
  const early: Buffer[] = [];
  let connection: RealtimeConnection | undefined;
  socket.on('message', (data) => {
    const frame = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (connection) receive(deps, hub, connection, frame, request.log);
    else if (early.length < MAX_EARLY_FRAMES) early.push(frame);
  });
  socket.on('error', (error) => request.log.debug({ err: error }, 'realtime socket error'));
  let closed = false;
  socket.on('close', () => {
    closed = true;
    if (!connection) return;
    hub.remove(connection);
    // A closed socket ends the presences it set ("who is online" means connected).
    const { userId } = connection.identity.caller;
    if (userId && connection.presenceIds.size > 0) {
      endConnectionPresences(deps, connection.projectId, userId, [...connection.presenceIds]).catch((error: unknown) =>
        request.log.error({ err: error }, 'ending presences failed'),
      );
    }
  });

  if (!hub.allowConnection(request.ip)) return closeWith(socket, TRY_AGAIN_LATER, 'Too many requests');
  const projectId = requestedProjectId(request);
  if (!projectId || !(await findProjectGate(deps, projectId))) return closeWith(socket, POLICY_VIOLATION, 'Missing or unknown project ID');
  if (!(await originAllowed(deps, request, projectId))) {
    return closeWith(socket, POLICY_VIOLATION, `Invalid Origin. Register your new client (${request.headers.origin}) as a new Web platform on your project console dashboard`);
  }
  let subscriptions;
  try {
    subscriptions = urlSubscriptions(request.query);
  } catch (error) {
    if (error instanceof AppError) return closeWith(socket, INVALID_MESSAGE, error.message);
    throw error;
  }
  let identity;
  try {
    identity = await identify(deps, projectId, handshakeCredentials(request, projectId), request.ip);
  } catch (error) {
    // An administrator outside the project's organization learns no more than of a missing project.
    if (error instanceof AppError) return closeWith(socket, POLICY_VIOLATION, 'Missing or unknown project ID');
    throw error;
  }
  if (closed) return;

  const accepted = new RealtimeConnection(projectId, socket, hub.settings);
  accepted.identity = identity;
  const slots: Record<string, string> = {};
  for (const [slot, { id, subscription }] of subscriptions) {
    accepted.subscriptions.set(id, subscription);
    slots[slot] = id;
  }
  hub.add(accepted);
  connection = accepted;
  accepted.sendMessage('connected', {
    channels: [...accepted.listenedChannels()],
    subscriptions: subscriptions.size > 0 ? slots : [],
    user: identity.account,
  });
  for (const frame of early.splice(0)) receive(deps, hub, accepted, frame, request.log);
}

function receive(deps: ServiceDeps, hub: RealtimeHub, connection: RealtimeConnection, frame: Buffer, log: FastifyBaseLogger): void {
  const handle = () => {
    try {
      handleMessage(deps, hub, connection, frame);
    } catch (error) {
      // A fault of ours answers this client and leaves the process and the other sockets alone.
      log.error({ err: error }, 'realtime message failed');
      connection.sendError(500, 'Server Error');
    }
  };
  // Frames are handled one after another: one waiting for a session check holds back the rest.
  if (connection.gate) hub.afterGate(connection, async () => handle());
  else handle();
}
