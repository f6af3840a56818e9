/** Limits of the realtime endpoint; each comes from an environment variable (docs/configuration.md). */
export interface RealtimeSettings {
  /** Largest websocket frame a client may send, in bytes. */
  maxFrameBytes: number;
  /** Messages one connection may send per minute; 0: no limit. */
  messagesPerMinute: number;
  /** Connections one IP address may open per minute on this node; 0: no limit. */
  connectionsPerMinute: number;
  /** A connection whose unsent output grows past this many bytes is a slow consumer and is dropped. */
  maxBufferedBytes: number;
}

export const DEFAULT_REALTIME_SETTINGS: RealtimeSettings = {
  maxFrameBytes: 64 * 1024,
  messagesPerMinute: 32,
  connectionsPerMinute: 128,
  maxBufferedBytes: 4 * 1024 * 1024,
};
