import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { httpGet, waitForOk } from './http.js';
import { pickFreePort, runNode, spawnChild, stopChild, type Child } from './processes.js';

export const PROJECT_ID = 'bench';
const BIN = 'bin/plinth.js';
const READY_TIMEOUT_MS = 30_000;

export interface RunningPlinth {
  child: Child;
  url: string;
  port: number;
}

export interface ColdStart {
  /** Spawn to the "Plinth is listening" log line. */
  listenMs: number;
  /** Spawn to the first 200 from GET /v1/health/version. */
  firstAnswerMs: number;
}

/** A fresh data dir, removed by `cleanup`. */
export async function makeDataDir(cleanup: Cleanup): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-'));
  cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `off` for load benches, which repeat one user's sign-in thousands of times; `default` for
 * benches of abuse itself, which must meet what users get.
 */
export type RateLimits = 'off' | 'default';

/**
 * The inherited env with every setting the bench controls pinned. PLINTH_DB is the given
 * postgres:// URL, or dropped so SQLite is used.
 */
export function plinthEnv(dataDir: string, port: number, logLevel: string, databaseUrl?: string, rateLimits: RateLimits = 'off'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PLINTH_DB;
  if (databaseUrl) env.PLINTH_DB = databaseUrl;
  if (rateLimits === 'off') env.PLINTH_RATE_LIMITS = 'off';
  return { ...env, PORT: String(port), PLINTH_HOST: '127.0.0.1', PLINTH_DATA_DIR: dataDir, PLINTH_LOG_LEVEL: logLevel };
}

export async function createProject(root: string, dataDir: string, databaseUrl?: string): Promise<void> {
  const stdout = await runNode([BIN, 'project', 'create', '--id', PROJECT_ID, '--name', 'Bench', '--json'], {
    cwd: root,
    env: plinthEnv(dataDir, 0, 'warn', databaseUrl),
    timeoutMs: 60_000,
  });
  const project = JSON.parse(stdout) as { $id?: string };
  if (project.$id !== PROJECT_ID) throw new Error(`project create printed ${stdout}`);
}

/** An API key with every scope for the bench project, through the CLI on the same store; returns its secret. */
export async function createApiKey(root: string, dataDir: string, databaseUrl?: string): Promise<string> {
  const stdout = await runNode([BIN, 'key', 'create', '--project', PROJECT_ID, '--name', 'bench', '--scopes', 'all', '--json'], {
    cwd: root,
    env: plinthEnv(dataDir, 0, 'warn', databaseUrl),
    timeoutMs: 60_000,
  });
  const key = JSON.parse(stdout) as { secret?: string };
  if (!key.secret) throw new Error(`key create printed ${stdout}`);
  return key.secret;
}

/**
 * Starts `plinth serve` for load tests. Log level warn keeps request logs out of the numbers, but
 * then nothing announces the port: so the bench picks one and polls until the server answers.
 */
export async function startPlinth(root: string, dataDir: string, cleanup: Cleanup, databaseUrl?: string, rateLimits: RateLimits = 'off'): Promise<RunningPlinth> {
  const port = await pickFreePort();
  // spawn node itself on bin/plinth.js (no npm, no shell) so the child pid is the server's pid.
  const child = spawnChild('plinth serve', [BIN, 'serve'], { cwd: root, env: plinthEnv(dataDir, port, 'warn', databaseUrl, rateLimits) });
  cleanup.defer(() => stopChild(child));
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(child, `${url}/v1/health/version`, {}, READY_TIMEOUT_MS);
  return { child, url, port };
}

/** A bench's server: `plinth serve` on a new data directory holding the bench project and a key of every scope. */
export interface BenchProject {
  dataDir: string;
  key: string;
  plinth: RunningPlinth;
  /** The project and key headers of the API's requests. */
  headers: Record<string, string>;
}

export async function startBenchProject(root: string, cleanup: Cleanup, databaseUrl?: string): Promise<BenchProject> {
  const dataDir = await makeDataDir(cleanup);
  await createProject(root, dataDir, databaseUrl);
  const key = await createApiKey(root, dataDir, databaseUrl);
  const plinth = await startPlinth(root, dataDir, cleanup, databaseUrl);
  return { dataDir, key, plinth, headers: { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Key': key } };
}

/**
 * One cold start on a fresh data dir. Log level info, so the server announces the moment it listens
 * without polling granularity; one request then times the first real answer.
 */
export async function measureColdStart(root: string, cleanup: Cleanup): Promise<ColdStart> {
  const dataDir = await makeDataDir(cleanup);
  const env = plinthEnv(dataDir, 0, 'info');
  const started = performance.now();
  const child = spawnChild('plinth serve (cold start)', [BIN, 'serve'], { cwd: root, env });
  cleanup.defer(() => stopChild(child));
  try {
    const line = await child.waitForLine(/Plinth is listening/, READY_TIMEOUT_MS);
    const listenMs = performance.now() - started;
    const { url } = JSON.parse(line) as { url: string };
    const answer = await httpGet(`${url}/v1/health/version`, {}, 5000);
    const firstAnswerMs = performance.now() - started;
    if (answer.status !== 200) throw new Error(`first answer was ${answer.status}: ${answer.body}`);
    return { listenMs, firstAnswerMs };
  } finally {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}
