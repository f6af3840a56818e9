import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices } from '../../src/app/services.js';
import { runCli } from '../../src/cli/run.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import type { FileStore } from '../../src/infra/files/file-store.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { createKey, createPlatform, createProject, parseScopeList, updateOAuth2Provider } from '../../src/services/projects/index.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { startEmbeddedServer } from './embedded-server.js';
import { seedSqliteDataDir } from './store-template.js';
import type { TestS3Server } from './s3-server.js';
import { BIN, spawnServer, type ServerRun } from './spawned-server.js';

export { BIN };

const run = promisify(execFile);

export interface StartOptions {
  /** Extra environment for the server and the CLI. */
  env?: Record<string, string>;
  /** Runs on the fresh store before the server starts, with the server's environment. */
  seed?: (env: NodeJS.ProcessEnv) => Promise<void>;
  /**
   * Run `plinth serve` as a process of its own, for tests of the process itself (crashes,
   * its children, its cgroups); by default the same server runs inside the test process.
   */
  process?: boolean;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A real server on a free port with its own data directory (and database), reached over HTTP. */
export class TestServer {
  url = '';
  endpoint = '';
  private running: ServerRun | undefined;
  /** The embedded server's services; unset while the server runs as a process. */
  private deps: ServiceDeps | undefined;
  /** The S3 service holding the files, when the suite runs with PLINTH_TEST_FILES=s3. */
  s3: TestS3Server | undefined;
  readonly logs: string[] = [];
  private cliQueue: Promise<void> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    readonly database: TestDatabase,
    readonly env: Record<string, string>,
    private readonly asProcess: boolean,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestServer> {
    const dataDir = await mkdtemp(join(tmpdir(), 'plinth-test-'));
    const database = await createTestDatabase({ migrated: true });
    if (!database.url && !options.env?.PLINTH_DB) await seedSqliteDataDir(dataDir);
    // PLINTH_TEST_FILES=s3 keeps the server's files in an S3-compatible service instead of the data directory.
    const s3 = process.env.PLINTH_TEST_FILES === 's3' && !options.env?.PLINTH_FILES ? await (await import('./s3-server.js')).startS3Server() : undefined;
    const env: Record<string, string> = {
      PLINTH_DATA_DIR: dataDir,
      PLINTH_HOST: '127.0.0.1',
      PLINTH_LOG_LEVEL: 'info',
      ...(database.url ? { PLINTH_DB: database.url } : {}),
      ...(s3 ? { PLINTH_FILES: s3.url } : {}),
      ...options.env,
    };
    const server = new TestServer(dataDir, database, env, options.process === true);
    server.s3 = s3;
    await options.seed?.(server.processEnv());
    await server.launch();
    return server;
  }

  /** The environment the server and its CLI share. */
  processEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env, PORT: '0' };
    if (!this.env.PLINTH_DB) delete env.PLINTH_DB;
    return env;
  }

  private async launch(): Promise<void> {
    if (this.asProcess) {
      this.running = await spawnServer(this.processEnv(), this.logs);
    } else {
      const embedded = await startEmbeddedServer(this.processEnv(), this.logs);
      this.running = embedded;
      this.deps = embedded.deps;
    }
    this.url = this.running.url;
    this.endpoint = `${this.url}/v1`;
  }

  /** The server process's id, while it runs. */
  get pid(): number | undefined {
    return this.running?.pid;
  }

  /**
   * Runs `plinth <args>` against the same data, as an operator would beside the server: the
   * command's own code on stores of its own, inside this process (a process start costs about
   * 1.5 s of CPU). `cliProcess` runs the real program, for tests of the program itself.
   */
  async cli(args: string[]): Promise<CliResult> {
    // One at a time: two commands in one thread would wait on each other's SQLite locks
    // synchronously, where two processes wait side by side.
    const result = this.cliQueue.then(async () => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, {
        env: this.processEnv(),
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      return { code, stdout, stderr };
    });
    this.cliQueue = result.then(() => undefined, () => undefined);
    return result;
  }

  /** Runs `plinth <args>` as a process of its own. */
  async cliProcess(args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: this.processEnv() });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  async cliJson<T = any>(args: string[]): Promise<T> {
    const result = await this.cli([...args, '--json']);
    if (result.code !== 0) throw new Error(`plinth ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** The store the server keeps files in (local or S3), to look at what it wrote. */
  async fileStore(): Promise<FileStore> {
    const { openFileStore } = await import('../../src/infra/files/open-file-store.js');
    return openFileStore(this.env.PLINTH_FILES, this.dataDir);
  }

  async createProject(id: string, name = id): Promise<void> {
    await this.withServices((deps) => createProject(deps, { id, name }));
  }

  /** Puts a project in an organization (a team of the console project). */
  async setProjectTeam(projectId: string, teamId: string): Promise<void> {
    await this.withServices((deps) => deps.db.platform.updateTable('projects').set({ team_id: teamId }).where('id', '=', projectId).execute());
  }

  /** Creates a key and returns its secret. */
  async createKey(projectId: string, scopes = 'all', options: { expire?: string } = {}): Promise<string> {
    const key = await this.withServices((deps) => createKey(deps, { projectId, name: 'test', scopes: parseScopeList(scopes), expire: options.expire }));
    return key.secret;
  }

  /** Sets up an OpenID Connect sign-in for a project, as `plinth oauth set --provider oidc` does. */
  async configureOidc(projectId: string, settings: { clientId: string; clientSecret: string; wellKnownUrl: string }): Promise<void> {
    await this.withServices((deps) =>
      updateOAuth2Provider(deps, projectId, 'oidc', { enabled: true, appId: settings.clientId, secret: settings.clientSecret, extra: { wellKnownURL: settings.wellKnownUrl } }),
    );
  }

  /** Adds a web platform to a project, as `plinth platform add --type web` does. */
  async addWebPlatform(projectId: string, hostname: string, name = hostname): Promise<void> {
    await this.withServices((deps) => createPlatform(deps, { projectId, type: 'web', platformId: 'unique()', name, target: hostname }));
  }

  /** Records the events an embedded server publishes from now on; the list fills as they come. */
  recordEvents(): PlinthEvent[] {
    if (!this.deps) throw new Error('events are seen in an embedded server only');
    const events: PlinthEvent[] = [];
    this.deps.events.subscribe((event) => {
      events.push(event);
    });
    return events;
  }

  /**
   * Runs service logic on the server's stores, as `plinth project create` does: through the
   * embedded server's own services, or beside a server process on stores opened for the call.
   */
  private async withServices<T>(work: (deps: ServiceDeps) => Promise<T>): Promise<T> {
    if (this.deps) return work(this.deps);
    const services = createServices(readConfig(this.processEnv()), createLogger('silent'), { workers: false });
    try {
      await services.deps.db.migrate();
      return await work(services.deps);
    } finally {
      await services.close();
    }
  }

  /** Whether the project's store exists: a SQLite file, or a PostgreSQL schema. */
  async projectStoreExists(projectId: string): Promise<boolean> {
    if (!this.database.url) return existsSync(join(this.dataDir, 'projects', `${projectId}.sqlite`));
    const client = new pg.Client({ connectionString: this.database.url });
    await client.connect();
    try {
      const result = await client.query('select 1 from information_schema.schemata where schema_name = $1', [`project_${projectId}`]);
      return result.rowCount === 1;
    } finally {
      await client.end();
    }
  }

  /** A raw request, for what the SDKs cannot send (bad bodies, odd headers). */
  async request(path: string, init: RequestInit & { project?: string; key?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.project) headers.set('X-Appwrite-Project', init.project);
    if (init.key) headers.set('X-Appwrite-Key', init.key);
    return fetch(`${this.endpoint}${path}`, { ...init, headers });
  }

  /** Ends the server: with SIGKILL abruptly, as a crash or power cut of its process would. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.deps = undefined;
    await this.running?.kill(signal);
  }

  /** Starts the server again on the same data; with SIGKILL, after a crash. */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.kill(signal);
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    await this.database.drop();
    await this.s3?.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** The parsed JSON body of a raw response, untyped as tests inspect it freely. */
export async function jsonOf(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}
