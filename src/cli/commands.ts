import { setFlagsFromString } from 'node:v8';
import { readConfig } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { createServices } from '../app/services.js';
import { setupNotice, startServer } from '../app/server.js';
import { startWorker } from '../app/worker.js';
import { buildServer } from '../app/api-server.js';
import { createKey, createProject, listProjects, parseScopeList } from '../services/projects/index.js';
import type { CliContext } from './context.js';
import { optionalFlag, requiredFlag, type Flags } from './flags.js';
import { printResult } from './output.js';
import { ensureDefaultOrganization } from '../services/teams/index.js';
import { withServices } from './with-services.js';

/**
 * The program has started: bin/plinth.js keeps V8's code cache of it (while V8's flags are still
 * those the next start compiles with), and the young generation, held at its first size while
 * starting, may grow again (V8's default factor) so that load is served as V8 would by default.
 */
function started(): void {
  (process as NodeJS.EventEmitter).emit('plinth:started');
  setFlagsFromString('--semi-space-growth-factor=2');
}

export async function serve(): Promise<void> {
  const server = await startServer(readConfig());
  started();
  server.app.log.info({ url: server.url }, `Plinth is listening on ${server.url}`);
  // Printed, not logged: the link holds a one-time secret that log collectors should not keep.
  if (server.setupUrl) process.stdout.write(setupNotice(server.setupUrl));
  const stop = async (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** The background workers alone, beside API servers started with PLINTH_WORKERS=off. */
export async function worker(): Promise<void> {
  const running = await startWorker(readConfig());
  started();
  running.logger.info({ pid: process.pid }, 'Plinth worker is taking jobs');
  const stop = async (signal: string) => {
    running.logger.info({ signal }, 'shutting down');
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

export async function projectCreate(flags: Flags, cli: CliContext): Promise<void> {
  const input = { id: requiredFlag(flags, 'id'), name: requiredFlag(flags, 'name') };
  // Projects made here belong to the default organization, made on first need.
  const project = await withServices(cli, async (deps) => createProject(deps, { ...input, teamId: await ensureDefaultOrganization(deps) }));
  printResult(cli, flags.json === true, project, () => `Created project ${project.$id} (${project.name})`);
}

export async function projectList(flags: Flags, cli: CliContext): Promise<void> {
  const projects = await withServices(cli, (deps) => listProjects(deps));
  printResult(cli, flags.json === true, { total: projects.length, projects }, () =>
    projects.length === 0 ? 'No projects yet.' : projects.map((p) => `${p.$id}\t${p.name}\t${p.$createdAt}`).join('\n'),
  );
}

export async function keyCreate(flags: Flags, cli: CliContext): Promise<void> {
  const input = {
    projectId: requiredFlag(flags, 'project'),
    name: requiredFlag(flags, 'name'),
    scopes: parseScopeList(requiredFlag(flags, 'scopes')),
    expire: optionalFlag(flags, 'expire'),
  };
  const key = await withServices(cli, (deps) => createKey(deps, input));
  printResult(cli, flags.json === true, key, () =>
    [
      `Created key ${key.$id} (${key.name}) with ${key.scopes.length} scopes${key.expire ? `, expiring ${key.expire}` : ''}.`,
      `Secret (shown only now, store it safely):`,
      key.secret,
    ].join('\n'),
  );
}

/** Lists the routes without opening any store: building the server touches no data. */
export async function routes(flags: Flags, cli: CliContext): Promise<void> {
  const config = readConfig(cli.env);
  const services = createServices(config, createLogger('silent', 'stderr'));
  const { app, routes } = buildServer(services.deps, { bodyLimit: config.bodyLimit, trustProxy: false });
  await app.ready();
  await app.close();
  await services.close();
  const sorted = routes.map(({ method, path }) => ({ method, path })).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  printResult(cli, flags.json === true, sorted, () => sorted.map((route) => `${route.method.padEnd(7)} ${route.path}`).join('\n'));
}
