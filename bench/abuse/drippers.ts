import { connect, type Socket } from 'node:net';

/** Raw sockets held open by the bench; counts what the server did to them. */
export interface Sockets {
  /** Connected. */
  opened: number;
  /** Never connected: refused, reset or timed out. */
  refused: number;
  /** Connected, then closed or reset by the server. */
  closedByServer: number;
  /** Got at least one byte back (an error status, usually). */
  answered: number;
  /** Closes every socket; what closes after this is not counted. */
  close(): void;
}

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens `count` sockets to `host:port` and writes `prefix` on each once connected; with `drip`,
 * one more byte of it every second. Resolves once every socket has connected or failed.
 */
export async function holdSockets(count: number, address: { host: string; port: number }, prefix: string, drip?: string): Promise<Sockets> {
  const sockets: Socket[] = [];
  let closing = false;
  const held: Sockets = {
    opened: 0,
    refused: 0,
    closedByServer: 0,
    answered: 0,
    close() {
      closing = true;
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
  let dripped = 0;
  const timer = setInterval(() => {
    if (!drip) return;
    const byte = drip[dripped++ % drip.length]!;
    for (const socket of sockets) if (!socket.destroyed && socket.writable) socket.write(byte);
  }, 1000);
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          let connected = false;
          let answered = false;
          const socket = connect({ ...address, timeout: CONNECT_TIMEOUT_MS });
          sockets.push(socket);
          socket.once('connect', () => {
            connected = true;
            socket.setTimeout(0);
            held.opened++;
            if (prefix) socket.write(prefix);
            resolve();
          });
          socket.once('timeout', () => socket.destroy(new Error('connect timeout')));
          socket.on('data', () => {
            if (!answered) held.answered++;
            answered = true;
          });
          socket.on('error', () => undefined);
          socket.once('close', () => {
            if (!connected) {
              held.refused++;
              resolve();
            } else if (!closing) held.closedByServer++;
          });
        }),
    ),
  );
  return held;
}

export function describeSockets(label: string, held: Sockets, count: number): string {
  const parts = [`${label}: ${held.opened}/${count} connected`, `${held.closedByServer} closed by the server`];
  if (held.refused) parts.push(`${held.refused} refused`);
  if (held.answered) parts.push(`${held.answered} got an answer`);
  return parts.join(', ');
}
