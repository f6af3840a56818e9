import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';
import { AppError } from '../../core/errors.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import type { ServiceDeps } from '../deps.js';
import { channelsOfEvent, parseConcreteName } from './channels.js';
import { guestIdentity, identify, type ConnectionIdentity } from './connection-auth.js';
import type { RealtimeConnection } from './connection.js';
import { eventFrames, type EventFrames } from './event-frames.js';
import type { RealtimeSettings } from './settings.js';

interface ProjectConnections {
  byChannel: Map<string, Set<RealtimeConnection>>;
  byUser: Map<string, Set<RealtimeConnection>>;
  all: Set<RealtimeConnection>;
}

export interface HubLog {
  error(details: object, message: string): void;
}

/**
 * The connections of this node, indexed by project, channel and user, and the one bus
 * subscriber that hands them events. An event reaches a connection only when one of its
 * roles may read the resource and one of its subscriptions' channels and filters match.
 */
export class RealtimeHub {
  private readonly projects = new Map<string, ProjectConnections>();
  /** Connections of administrators in admin mode, in any project, by their console user. */
  private readonly admins = new Map<string, Set<RealtimeConnection>>();
  private readonly connectionsByIp = new Map<string, { start: number; count: number }>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    readonly settings: RealtimeSettings,
    private readonly log: HubLog,
  ) {}

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((event) => this.deliver(event));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const project of this.projects.values()) for (const connection of project.all) connection.socket.terminate();
    this.projects.clear();
  }

  /** Counts a new connection from an address; false when the address is over its budget for this minute. */
  allowConnection(ip: string, now = Date.now()): boolean {
    if (this.settings.connectionsPerMinute === 0) return true;
    if (this.connectionsByIp.size > 10_000) {
      for (const [address, window] of this.connectionsByIp) if (now - window.start >= 60_000) this.connectionsByIp.delete(address);
    }
    let window = this.connectionsByIp.get(ip);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.connectionsByIp.set(ip, window);
    }
    window.count++;
    return window.count <= this.settings.connectionsPerMinute;
  }

  add(connection: RealtimeConnection): void {
    const project = this.projectOf(connection.projectId);
    project.all.add(connection);
    this.indexUser(project, connection);
    this.reindex(connection);
  }

  remove(connection: RealtimeConnection): void {
    const project = this.projects.get(connection.projectId);
    if (!project) return;
    project.all.delete(connection);
    for (const channel of connection.indexedChannels) removeFrom(project.byChannel, channel, connection);
    connection.indexedChannels = new Set();
    this.unindexUser(project, connection);
    if (project.all.size === 0) this.projects.delete(connection.projectId);
  }

  /** Brings the channel index up to date after the connection's subscriptions or user changed. */
  reindex(connection: RealtimeConnection): void {
    const project = this.projects.get(connection.projectId);
    if (!project || !project.all.has(connection)) return;
    connection.rebind();
    const next = connection.listenedChannels();
    for (const channel of connection.indexedChannels) if (!next.has(channel)) removeFrom(project.byChannel, channel, connection);
    for (const channel of next) if (!connection.indexedChannels.has(channel)) addTo(project.byChannel, channel, connection);
    connection.indexedChannels = next;
  }

  /** Gives the connection a new identity; its `account` channels follow the user. */
  setIdentity(connection: RealtimeConnection, identity: ConnectionIdentity): void {
    const project = this.projects.get(connection.projectId);
    this.unindexUser(project, connection);
    connection.identity = identity;
    if (project && project.all.has(connection)) this.indexUser(project, connection);
    this.reindex(connection);
  }

  private deliver(event: PlinthEvent): void {
    // Administrators are users of the console project: changes there decide their access.
    if (event.projectId === CONSOLE_PROJECT_ID) this.recheckAdmins(event);
    const project = this.projects.get(event.projectId);
    if (!project) return;
    const channels = channelsOfEvent(event.names);
    const targets = new Set<RealtimeConnection>();
    for (const channel of channels) for (const connection of project.byChannel.get(channel) ?? []) targets.add(connection);
    if (targets.size > 0) {
      // The creator of a team holds its roles only from now on: check before delivering.
      if (event.names.some(isTeamCreation)) for (const connection of targets) if (connection.identity.caller.userId) this.recheck(connection);
      const frames = eventFrames(event, channels);
      for (const connection of targets) {
        if (connection.gate) this.afterGate(connection, async () => deliverTo(connection, event, channels, frames));
        else deliverTo(connection, event, channels, frames);
      }
    }
    this.recheckIdentities(project, event);
  }

  /**
   * Roles change with the events that change them: a user updated (blocked, labels,
   * verification) or deleted, a session deleted (logout), a membership made or ended, a
   * team deleted. The affected connections prove their credentials again before their
   * next event, so a logged-out or blocked user stops receiving private events.
   */
  private recheckIdentities(project: ProjectConnections, event: PlinthEvent): void {
    const affected = new Set<RealtimeConnection>();
    for (const name of event.names) {
      const parsed = parseConcreteName(name);
      if (!parsed) continue;
      const [first, second] = parsed.levels;
      if (!first) continue;
      if (first[0] === 'users' && (parsed.action === 'update' || parsed.action === 'delete')) {
        for (const connection of project.byUser.get(first[1]) ?? []) affected.add(connection);
      } else if (first[0] === 'teams' && second?.[0] === 'memberships') {
        const userId = (event.payload as { userId?: unknown } | null)?.userId;
        if (typeof userId === 'string') for (const connection of project.byUser.get(userId) ?? []) affected.add(connection);
      } else if (first[0] === 'teams' && !second && parsed.action === 'delete') {
        for (const connection of project.all) if (connection.identity.roles.has(`team:${first[1]}`)) affected.add(connection);
      }
    }
    for (const connection of affected) this.recheck(connection);
  }

  /**
   * An administrator's access ends with their console session, their console account, their
   * organization membership, the organization, or the project moving to another organization:
   * their admin-mode connections prove it again.
   */
  private recheckAdmins(event: PlinthEvent): void {
    if (this.admins.size === 0) return;
    const affected = new Set<RealtimeConnection>();
    for (const name of event.names) {
      const parsed = parseConcreteName(name);
      if (!parsed || parsed.action === 'create') continue;
      const [first, second] = parsed.levels;
      if (first?.[0] === 'users') for (const connection of this.admins.get(first[1]) ?? []) affected.add(connection);
      else if (first?.[0] === 'teams' && second?.[0] === 'memberships') {
        const userId = (event.payload as { userId?: unknown } | null)?.userId;
        if (typeof userId === 'string') for (const connection of this.admins.get(userId) ?? []) affected.add(connection);
      } else if (first?.[0] === 'teams' && !second && parsed.action === 'delete') {
        for (const connections of this.admins.values()) for (const connection of connections) affected.add(connection);
      } else if (first?.[0] === 'projects') {
        for (const connection of this.projects.get(first[1])?.all ?? []) if (connection.identity.caller.adminId) affected.add(connection);
      }
    }
    for (const connection of affected) this.recheck(connection);
  }

  /** Proves the connection's credentials again; events that arrive meanwhile wait. */
  recheck(connection: RealtimeConnection): void {
    this.afterGate(connection, async () => {
      const { credentials, caller } = connection.identity;
      const identity = await identify(this.deps, connection.projectId, credentials, caller.ip).catch((error: unknown) => {
        // An administrator who lost the project keeps the socket with a guest's rights.
        if (error instanceof AppError) return guestIdentity(caller.ip);
        throw error;
      });
      this.setIdentity(connection, identity);
    });
  }

  /** Runs work after whatever the connection is already waiting for, keeping event order. */
  afterGate(connection: RealtimeConnection, work: () => Promise<void>): void {
    const next = (connection.gate ?? Promise.resolve()).then(work).catch((error: unknown) => {
      this.log.error({ err: error }, 'realtime connection update failed');
    });
    connection.gate = next;
    void next.finally(() => {
      if (connection.gate === next) connection.gate = undefined;
    });
  }

  private projectOf(projectId: string): ProjectConnections {
    let project = this.projects.get(projectId);
    if (!project) {
      project = { byChannel: new Map(), byUser: new Map(), all: new Set() };
      this.projects.set(projectId, project);
    }
    return project;
  }

  private indexUser(project: ProjectConnections, connection: RealtimeConnection): void {
    const { userId, adminId } = connection.identity.caller;
    if (userId) addTo(project.byUser, userId, connection);
    if (adminId) addTo(this.admins, adminId, connection);
  }

  private unindexUser(project: ProjectConnections | undefined, connection: RealtimeConnection): void {
    const { userId, adminId } = connection.identity.caller;
    if (project && userId) removeFrom(project.byUser, userId, connection);
    if (adminId) removeFrom(this.admins, adminId, connection);
  }
}

function isTeamCreation(name: string): boolean {
  const parsed = parseConcreteName(name);
  return parsed !== undefined && parsed.action === 'create' && parsed.levels.length === 1 && parsed.levels[0]![0] === 'teams';
}

function deliverTo(connection: RealtimeConnection, event: PlinthEvent, channels: string[], frames: EventFrames): void {
  if (!connection.mayRead(event.readableBy)) return;
  // An administrator reads the whole payload, as a key does, not a narrower view for roles.
  const { payload, head } = frames(connection.identity.caller.actsForProject ? NO_ROLES : connection.identity.roles);
  // Filters see only what the receiver may see, or a query on a hidden field would reveal it.
  const ids = connection.matchingSubscriptions(channels, payload);
  if (ids.length === 0) return;
  connection.send(`${head}${JSON.stringify(ids)}}}`);
}

const NO_ROLES: ReadonlySet<string> = new Set();

function addTo<K>(index: Map<K, Set<RealtimeConnection>>, key: K, connection: RealtimeConnection): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(connection);
}

function removeFrom<K>(index: Map<K, Set<RealtimeConnection>>, key: K, connection: RealtimeConnection): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(connection);
  if (set.size === 0) index.delete(key);
}
