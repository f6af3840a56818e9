import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback; `answer` picks each response's status from the path and the count so far. */
export class Receiver {
  readonly received: Received[] = [];
  private waiters: Array<() => void> = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(answer: (path: string, seen: number) => number): Promise<Receiver> {
    let receiver: Receiver;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const path = request.url ?? '/';
        const seen = receiver.received.filter((entry) => entry.path === path).length;
        receiver.received.push({ path, headers: request.headers, body });
        const status = answer(path, seen);
        response.writeHead(status).end(status >= 400 ? `failure ${seen + 1}` : 'ok');
        for (const wake of receiver.waiters.splice(0)) wake();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  /** Resolves once `count` requests reached `path`. */
  async requests(path: string, count: number): Promise<Received[]> {
    for (;;) {
      const matching = this.received.filter((entry) => entry.path === path);
      if (matching.length >= count) return matching;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.server.close();
  }
}
