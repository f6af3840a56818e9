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
}

/** A narrower payload for the receivers that hold one of `roles`. */
export interface PayloadView {
  roles: string[];
  payload: unknown;
}

export type EventHandler = (event: PlinthEvent) => void | Promise<void>;

export interface EventBus {
  publish(event: PlinthEvent): Promise<void>;
  /** Returns the function that ends the subscription. */
  subscribe(handler: EventHandler): () => void;
  close(): Promise<void>;
}
