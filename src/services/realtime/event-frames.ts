import type { PayloadView, PlinthEvent } from '../../infra/events/event-bus.js';
import { stringifyExactJson } from '../../core/exact-json.js';

/** What one receiver is sent of an event: the payload it may see, and the frame up to its subscription ids. */
export interface ReceiverFrame {
  payload: unknown;
  head: string;
}

/** The frame of each receiver, by its roles. */
export type EventFrames = (roles: ReadonlySet<string>) => ReceiverFrame;

/**
 * Serialises an event once per payload view its receivers get, not once per receiver. The view
 * is chosen by the receiver's roles when it is delivered, since a connection's roles may change
 * while the event waits behind its identity check.
 */
export function eventFrames(event: PlinthEvent, channels: readonly string[]): EventFrames {
  const frames = new Map<PayloadView | undefined, ReceiverFrame>();
  return (roles) => {
    const view = event.views?.find((candidate) => candidate.roles.some((role) => roles.has(role)));
    let frame = frames.get(view);
    if (!frame) {
      const payload = view ? view.payload : event.payload;
      const head =
        `{"type":"event","data":{"events":${JSON.stringify(event.names)},"channels":${JSON.stringify(channels)},` +
        `"timestamp":${JSON.stringify(event.timestamp)},"payload":${stringifyExactJson(payload ?? {})},"subscriptions":`;
      frame = { payload, head };
      frames.set(view, frame);
    }
    return frame;
  };
}
