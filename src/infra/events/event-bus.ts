import type { Actor } from '../../core/actor.js';

/**
 * Something that happened to a resource, published after its change committed. Realtime,
 * webhooks, function triggers, audits and usage counters subscribe; services never call them.
 */
export interface PlinthEvent {
  projectId: string;
  /** Every name the event answers to, e.g. `buckets.b1.files.f1.create` and its wildcards. */
  names: string[];
  /** The response model of the resource, as the API returns it. */
  payload: unknown;
  /** Roles that may read the resource; receivers outside them never see the event. */
  readableBy: string[];
  /**
   * What users see instead of `payload` when the API shows them less than it shows servers
   * (a project hiding member emails). Realtime gives each receiver the first view whose roles
   * it holds, else `payload`; server-side consumers (webhooks, function triggers) read `payload`.
   * Plain data, so it crosses nodes with the event.
   */
  views?: PayloadView[];
  timestamp: string;
  /** Who caused the change, when a request did (see core/actor.ts); absent for guests and jobs. */
  actor?: Actor;
}

/** A narrower payload for the receivers that hold one of `roles`. */
export interface PayloadView {
  roles: string[];
  payload: unknown;
}

export type EventHandler = (event: PlinthEvent) => void | Promise<void>;

/** Stamps every published event with the actor of the request publishing it. */
export function withRequestActors(bus: EventBus, actorOf: () => Actor | undefined): EventBus {
  return {
    publish(event) {
      const actor = event.actor ?? actorOf();
      return bus.publish(actor ? { ...event, actor } : event);
    },
    subscribe: (handler) => bus.subscribe(handler),
    close: () => bus.close(),
  };
}

export interface EventBus {
  publish(event: PlinthEvent): Promise<void>;
  /** Returns the function that ends the subscription. */
  subscribe(handler: EventHandler): () => void;
  close(): Promise<void>;
}
