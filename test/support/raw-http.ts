import { connect, type Socket } from 'node:net';

/** A raw connection, for what no HTTP client sends: it records the server's bytes and settles once the server closes it. */
export async function openRaw(url: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = new Promise<string>((done) => socket.once('close', () => done(Buffer.concat(chunks).toString())));
  return { socket, closed };
}

/** The status and JSON body of a raw response. */
export function parseRawResponse(response: string): { status: number; body: any } {
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1] ?? 0);
  const body = response.slice(response.indexOf('\r\n\r\n') + 4);
  return { status, body: body ? JSON.parse(body) : undefined };
}
