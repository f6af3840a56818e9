import type { WebSocket } from 'ws';
import { bindChannel } from './channels.js';
import { guestIdentity, type ConnectionIdentity } from './connection-auth.js';
import type { RealtimeSettings } from './settings.js';
import { payloadMatches, type SubscriptionFilter } from './subscription-queries.js';

/** One subscription: the channels asked for, each with its own filter, and what they listen on for the current user. */
export interface Subscription {
  requested: Map<string, SubscriptionFilter>;
  /** `requested` bound to the connection's user (`account` → `account.<id>`); rebuilt by `rebind`. */
  bound: Map<string, SubscriptionFilter>;
}

const OPEN = 1;

/** One client's socket: who it is, what it listens to, and its message budget. */
export class RealtimeConnection {
  /** A guest until the handshake's credentials are checked. */
  identity: ConnectionIdentity = guestIdentity('');
  readonly subscriptions = new Map<string, Subscription>();
  /** The channels the hub indexes this connection under. */
  indexedChannels: ReadonlySet<string> = new Set();
  /** Presences this connection set with `presence` messages: they end when it closes. */
  readonly presenceIds = new Set<string>();
  /** When this connection's presences were last kept alive (ms since the epoch). */
  presencesRefreshedAt = 0;
  /** Work that must finish before the next event is delivered (an identity check). */
  gate: Promise<void> | undefined;
  private windowStart = 0;
  private windowCount = 0;

  constructor(
    readonly projectId: string,
    readonly socket: WebSocket,
    private readonly settings: RealtimeSettings,
  ) {}

  /** Binds every subscription's channels to the current user; call after subscriptions or the user change. */
  rebind(): void {
    for (const subscription of this.subscriptions.values()) {
      subscription.bound = new Map();
      for (const [channel, filter] of subscription.requested) {
        for (const bound of bindChannel(channel, this.identity.caller.userId)) subscription.bound.set(bound, filter);
      }
    }
  }

  /** Every channel any subscription listens on. */
  listenedChannels(): Set<string> {
    const channels = new Set<string>();
    for (const subscription of this.subscriptions.values()) for (const channel of subscription.bound.keys()) channels.add(channel);
    return channels;
  }

  mayRead(readableBy: readonly string[]): boolean {
    // Who acts for the project (an administrator in admin mode) reads every event, as a key does.
    if (this.identity.caller.actsForProject) return true;
    for (const role of readableBy) if (this.identity.roles.has(role)) return true;
    return false;
  }

  /** The ids of the subscriptions an event on these channels, with this payload, reaches. */
  matchingSubscriptions(channels: readonly string[], payload: unknown): string[] {
    const ids: string[] = [];
    for (const [id, subscription] of this.subscriptions) {
      for (const channel of channels) {
        const filter = subscription.bound.get(channel);
        if (filter && payloadMatches(filter.filters, payload)) {
          ids.push(id);
          break;
        }
      }
    }
    return ids;
  }

  /** Counts one incoming message; false when the connection is over its budget for this minute. */
  allowMessage(now = Date.now()): boolean {
    if (this.settings.messagesPerMinute === 0) return true;
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    return this.windowCount <= this.settings.messagesPerMinute;
  }

  /** Sends a frame, or drops a client that reads too slowly rather than buffering for it without end. */
  send(text: string): void {
    if (this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.settings.maxBufferedBytes) {
      this.socket.terminate();
      return;
    }
    this.socket.send(text);
  }

  sendMessage(type: string, data: unknown): void {
    this.send(JSON.stringify({ type, data }));
  }

  sendError(code: number, message: string): void {
    this.sendMessage('error', { code, message });
  }
}
