import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildServer } from './api-server.js';
import { defaultApiEndpoint, listeningUrl, type Config } from './config.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';
import type { ServiceDeps } from '../services/deps.js';
import { issueConsoleSetupToken } from '../services/users/index.js';

/** The page of the web console that creates the first administrator with the token. */
export function consoleSetupUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/console/setup?token=${token}`;
}

/** What `plinth serve` prints while no administrator exists. */
export function setupNotice(setupUrl: string): string {
  return `No administrator yet. Create the first one at ${setupUrl} (the link works once), or with: plinth admin create --email EMAIL --password PASSWORD\n`;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** What the routes run on, for callers in the same process (tests seed projects through it). */
  deps: ServiceDeps;
  /** While no administrator exists: the one-time link that creates the first one. */
  setupUrl: string | undefined;
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** Where the server logs; by default stdout at the configured level. */
  logger?: Logger;
}

/** Opens the stores, brings them to the current schema, and listens. */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Triggers run here even without workers: they only queue executions, and only this node may see its events.
  const services = createServices(config, logger, { workers: config.workers, triggers: true });
  try {
    await services.deps.db.migrate();
    const { app } = buildServer(services.deps, {
      bodyLimit: config.bodyLimit,
      jsonBodyLimit: config.jsonBodyLimit,
      trustProxy: config.trustProxy,
      timeouts: config.httpTimeouts,
      rateLimits: config.rateLimits,
      countStatements: config.countStatements,
      consoleDir: config.consoleDir,
      logger,
    });
    app.addHook('onClose', async () => services.close());
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // With PORT=0 only the socket knows the port; the settings object is the one functions read.
    if (config.functions.apiEndpoint === defaultApiEndpoint(config.port)) config.functions.apiEndpoint = defaultApiEndpoint(port);
    const url = listeningUrl(config.host, port);
    if (config.publicUrl === undefined) services.deps.publicUrl = url;
    const setupToken = await issueConsoleSetupToken(services.deps);
    const setupUrl = setupToken === undefined ? undefined : consoleSetupUrl(services.deps.publicUrl, setupToken);
    return { app, url, deps: services.deps, setupUrl, close: () => app.close() };
  } catch (error) {
    await services.close();
    throw error;
  }
}
