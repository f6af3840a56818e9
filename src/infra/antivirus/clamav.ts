import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

export interface ClamavAddress {
  host: string;
  port: number;
}

export type ScanResult = { clean: true } | { clean: false; signature: string };

export interface ScanOptions {
  /** Gives up when clamd stays silent this long (ms); scanning large files takes a while. */
  timeout?: number;
}

/** clamd refuses chunks above its StreamMaxLength anyway; smaller chunks keep memory flat. */
const MAX_CHUNK = 64 * 1024;

/** Reads `host:port` (PLINTH_CLAMAV); clamd listens on 3310 by default. */
export function parseClamavAddress(value: string): ClamavAddress {
  const match = /^\[?([^\]\s]+?)\]?(?::(\d{1,5}))?$/.exec(value.trim());
  const port = Number(match?.[2] ?? 3310);
  if (!match || port < 1 || port > 65535) throw new Error(`must be host:port, got "${value}"`);
  return { host: match[1]!, port };
}

/**
 * Streams `body` to clamd with the INSTREAM command (each chunk prefixed by its length,
 * a zero length to finish) and reads its verdict. Rejects when clamd cannot be reached,
 * reports an error (such as the stream being over its size limit) or times out: the
 * caller decides whether an unscanned file may be kept.
 */
export function scanStream(address: ClamavAddress, body: Readable, options: ScanOptions = {}): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    const replies: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | undefined, result?: ScanResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) {
        body.destroy();
        reject(error);
      } else resolve(result!);
    };
    let failure: Error | undefined;
    socket.setTimeout(options.timeout ?? 60_000, () => finish(new Error('clamd did not answer in time')));
    socket.on('error', (error) => {
      failure ??= error;
    });
    socket.on('data', (data: Buffer) => replies.push(data));
    // clamd may close early with a verdict or an error (over its size limit): its reply wins over a broken pipe.
    socket.on('close', () => {
      if (replies.length === 0) return finish(new Error(`clamd: ${failure?.message ?? 'closed the connection without a verdict'}`));
      const verdict = readVerdict(Buffer.concat(replies).toString('utf8'));
      if (verdict instanceof Error) finish(verdict);
      else finish(undefined, verdict);
    });
    socket.once('connect', () => {
      sendStream(socket, body).catch((error: Error) => {
        failure ??= error;
        socket.destroy();
      });
    });
  });
}

async function sendStream(socket: Socket, body: Readable): Promise<void> {
  await write(socket, Buffer.from('zINSTREAM\0'));
  for await (const chunk of body) {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
    for (let at = 0; at < data.length; at += MAX_CHUNK) {
      const piece = data.subarray(at, at + MAX_CHUNK);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(piece.length);
      await write(socket, Buffer.concat([length, piece]));
    }
  }
  await write(socket, Buffer.alloc(4));
}

/** Honours backpressure: resolves once the socket can take more. */
function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed || !socket.writable) return reject(new Error('connection closed'));
    const flushed = socket.write(data, (error) => (error ? reject(error) : undefined));
    if (flushed) resolve();
    else {
      const onClose = () => reject(new Error('connection closed'));
      socket.once('close', onClose);
      socket.once('drain', () => {
        socket.off('close', onClose);
        resolve();
      });
    }
  });
}

/** `stream: OK`, `stream: <signature> FOUND`, or `<reason> ERROR`, NUL- or newline-terminated. */
function readVerdict(reply: string): ScanResult | Error {
  const line = reply.replace(/[\0\n]+$/, '').trim();
  if (/^(stream: )?OK$/.test(line)) return { clean: true };
  const found = /^(?:stream: )?(.+) FOUND$/.exec(line);
  if (found) return { clean: false, signature: found[1]! };
  return new Error(`clamd: ${line || 'closed the connection without a verdict'}`);
}
