// Plinth's Deno runtime: Deno.serve speaking the Open Runtimes contract (see contract.ts).
import { announceReady, handle, listenTarget } from './contract.ts';

declare const Deno: {
  serve(options: Record<string, unknown>, handler: (request: Request) => Promise<Response>): unknown;
  removeSync(path: string): void;
  stdin: { readable: ReadableStream<Uint8Array> };
  exit(code: number): never;
};

const target = listenTarget();
if ('socket' in target) {
  try {
    Deno.removeSync(target.socket);
  } catch {
    // Not there: the usual case.
  }
}
const onListen = () => announceReady();
/**
 * Deno.serve compresses compressible answers when the request accepts gzip or brotli, unless the
 * answer names its encoding: the function's bytes are answered as they are (Plinth drops the
 * `identity` it says here).
 */
async function answerAsIs(request: Request): Promise<Response> {
  const response = await handle(request);
  if (!response.headers.has('content-encoding')) response.headers.set('content-encoding', 'identity');
  return response;
}
Deno.serve('socket' in target ? { transport: 'unix', path: target.socket, onListen } : { port: target.port, onListen }, answerAsIs);

// The server holds our stdin open; when it goes away (even killed), so do we.
(async () => {
  for await (const _chunk of Deno.stdin.readable);
  Deno.exit(0);
})().catch(() => Deno.exit(0));
