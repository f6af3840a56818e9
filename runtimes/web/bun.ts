// Plinth's Bun runtime: Bun.serve speaking the Open Runtimes contract (see contract.ts).
import { unlinkSync, existsSync } from 'node:fs';
import { announceReady, handle, listenTarget } from './contract.ts';

declare const Bun: {
  serve(options: { fetch: (request: Request) => Promise<Response>; unix?: string; port?: number; idleTimeout?: number }): unknown;
  stdin: { stream(): ReadableStream<Uint8Array> };
};

const target = listenTarget();
if ('socket' in target && existsSync(target.socket)) unlinkSync(target.socket);
Bun.serve({ fetch: handle, ...('socket' in target ? { unix: target.socket } : { port: target.port }) });
announceReady();

// The server holds our stdin open; when it goes away (even killed), so do we.
(async () => {
  const reader = Bun.stdin.stream().getReader();
  while (!(await reader.read()).done);
  process.exit(0);
})().catch(() => process.exit(0));
