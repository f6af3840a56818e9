import { randomUUID } from 'node:crypto';
import { onFirstUse } from '../../core/load-package.js';

const loadIoredis = onFirstUse<typeof import('ioredis')>('ioredis');

export interface RedisChannelOptions {
  url: string;
  channel: string;
  /** A message from another node of this channel (never this node's own). */
  onMessage: (message: string) => void;
  /** Redis refused a publish or a connection failed: reported, never thrown at the publisher. */
  onError: (error: unknown) => void;
}

export interface RedisChannel {
  /** Sends to every other node listening on the channel; settles once Redis took it (or refused it). */
  publish(message: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One Redis pub/sub channel shared by the nodes of a deployment: a connection to publish and
 * one to listen (a connection in subscriber mode may not publish). Each message carries the
 * sending node's id, so a node never hears its own.
 */
export function openRedisChannel(options: RedisChannelOptions): RedisChannel {
  const { Redis } = loadIoredis();
  const node = randomUUID();
  const prefix = `${node}\n`;
  const publisher = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.url, { lazyConnect: false });
  publisher.on('error', options.onError);
  subscriber.on('error', options.onError);
  const ready = subscriber.subscribe(options.channel).catch((error: unknown) => options.onError(error));
  let closed = false;

  subscriber.on('message', (from: string, message: string) => {
    if (from !== options.channel || message.startsWith(prefix)) return;
    const newline = message.indexOf('\n');
    if (newline < 0) return;
    options.onMessage(message.slice(newline + 1));
  });

  return {
    async publish(message) {
      if (closed) return;
      await publisher.publish(options.channel, prefix + message).then(
        () => undefined,
        (error: unknown) => options.onError(error),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await ready;
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
