import { spawn, type ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './databases.js';
import type { FileStore } from '../../src/infra/files/file-store.js';
import type { TestS3Server } from './s3-server.js';

const run = promisify(execFile);
export const BIN = resolve(import.meta.dirname, '../../bin/plinth.js');

export interface StartOptions {
  /** Extra environment for the server and the CLI. */
  env?: Record<string, string>;
  /** Runs on the fresh store before the server starts, with the server's environment. */
  seed?: (env: NodeJS.ProcessEnv) => Promise<void>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A real server process on a free port with its own data directory (and database). */
export class TestServer {
  url = '';
  endpoint = '';
  private child: ChildProcess | undefined;
  /** The S3 service holding the files, when the suite runs with PLINTH_TEST_FILES=s3. */
  s3: TestS3Server | undefined;
  readonly logs: string[] = [];

  private constructor(
    readonly dataDir: string,
    readonly database: TestDatabase,
    readonly env: Record<string, string>,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestServer> {
    const dataDir = await mkdtemp(join(tmpdir(), 'plinth-test-'));
    const database = await createTestDatabase();
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
    const server = new TestServer(dataDir, database, env);
    server.s3 = s3;
    await options.seed?.(server.processEnv());
    await server.spawn();
    return server;
  }

  /** The environment the server and its CLI share. */
  processEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env, PORT: '0' };
    if (!this.env.PLINTH_DB) delete env.PLINTH_DB;
    return env;
  }

  private async spawn(): Promise<void> {
    const child = spawn(process.execPath, [BIN, 'serve'], { env: this.processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => this.logs.push(chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    this.url = await new Promise<string>((resolveUrl, reject) => {
      const fail = (why: string) => reject(new Error(`server did not start: ${why}\n${this.logs.join('')}`));
      child.once('exit', (code) => fail(`exited with ${code}`));
      lines.on('line', (line) => {
        this.logs.push(line);
        if (this.logs.length > 2000) this.logs.splice(0, 1000);
        const url = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
        if (url) resolveUrl(url.replace('localhost', '127.0.0.1'));
      });
    });
    this.endpoint = `${this.url}/v1`;
  }

  /** The server process's id, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Runs `plinth <args>` against the same data, as an operator would beside the server. */
  async cli(args: string[]): Promise<CliResult> {
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
    await this.cliJson(['project', 'create', '--id', id, '--name', name]);
  }

  /** Creates a key and returns its secret. */
  async createKey(projectId: string, scopes = 'all', extra: string[] = []): Promise<string> {
    const key = await this.cliJson<{ secret: string }>(['key', 'create', '--project', projectId, '--name', 'test', '--scopes', scopes, ...extra]);
    return key.secret;
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

  /** Ends the process abruptly, as a crash or power cut of the process would. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
  }

  /** Starts the server again on the same data. */
  async restart(): Promise<void> {
    await this.kill('SIGTERM');
    await this.spawn();
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
