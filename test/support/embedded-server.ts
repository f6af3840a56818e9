import { Writable } from 'node:stream';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { setupNotice, startServer } from '../../src/app/server.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import type { ServerRun } from './spawned-server.js';

export interface EmbeddedServerRun extends ServerRun {
  /** The services the server runs on, to seed projects and keys without a command process. */
  deps: ServiceDeps;
}

/**
 * The server `plinth serve` starts, built inside the test process from its own environment
 * (never this process's), with its workers; it logs the lines the process would print into `logs`.
 */
export async function startEmbeddedServer(env: NodeJS.ProcessEnv, logs: string[]): Promise<EmbeddedServerRun> {
  const config = readConfig(env);
  const lines = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      logs.push(chunk.toString().trimEnd());
      if (logs.length > 2000) logs.splice(0, 1000);
      done();
    },
  });
  const server = await startServer(config, { logger: createLogger(config.logLevel, lines) });
  server.app.log.info({ url: server.url }, `Plinth is listening on ${server.url}`);
  if (server.setupUrl) logs.push(setupNotice(server.setupUrl).trimEnd());
  let closed: Promise<void> | undefined;
  return {
    url: server.url.replace('localhost', '127.0.0.1'),
    deps: server.deps,
    async kill(signal) {
      if (signal === 'SIGKILL') throw new Error('a crash needs a server process: start it with { process: true }');
      if (!closed) {
        closed = server.close();
        // A stopped test server has no one left to answer: a connection a client keeps open
        // would otherwise hold close() up to the keep-alive limit (72 s).
        server.app.server.closeAllConnections();
      }
      await closed;
    },
  };
}
