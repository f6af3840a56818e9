import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Functions } from 'node-appwrite';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { BIN, TestServer } from '../support/plinth.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction, waitForExecution } from './deploy.js';

const PROJECT = 'workers';
const REDIS_URL = process.env.PLINTH_TEST_REDIS || 'redis://127.0.0.1:6379';
/**
 * More executions than one worker takes at once (8), each outlasting the 2 s a queued job waits for
 * the worker that holds its deployment warm: the other worker must take the rest.
 */
const EXECUTIONS = 12;

interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  dataDir: string;
}

/**
 * A `plinth worker` as on another node: the same database, file store (S3) and secret, but a data
 * directory of its own, so code and builds reach it only through the file store. No HTTP.
 */
async function startWorker(server: TestServer): Promise<WorkerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'plinth-worker-'));
  const env = { ...server.processEnv(), PLINTH_DATA_DIR: dataDir, PLINTH_LOG_LEVEL: 'debug' };
  const child = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('exit', () => void rm(dataDir, { recursive: true, force: true }));
  const lines: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}\n${lines.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('Plinth worker is taking jobs')) resolve();
    });
  });
  return { child, lines, dataDir };
}

/** The workers' logs, once they name every execution (a worker logs just after the record is final). */
async function loggedRuns(workers: WorkerProcess[], expected: number): Promise<string[][]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const byWorker = workers.map((worker) => executionsRun(worker.lines));
    if (byWorker.flat().length >= expected) return byWorker;
    await delay(25);
  }
  return workers.map((worker) => executionsRun(worker.lines));
}

async function stopWorker(worker: WorkerProcess | undefined): Promise<number | null> {
  if (!worker || worker.child.exitCode !== null) return worker?.child.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
  worker.child.kill('SIGTERM');
  return exited;
}

/** Execution ids a process's log says it ran. */
function executionsRun(lines: string[]): string[] {
  return lines.flatMap((line) => {
    if (!line.includes('"execution done"')) return [];
    return [(JSON.parse(line) as { execution: string }).execution];
  });
}

// Workers in other processes share the queue through PostgreSQL; SQLite files belong to one host.
describe('two workers sharing one queue and one file store (PostgreSQL, S3)', { skip: TEST_DATABASE_URL ? false : 'PostgreSQL only (PLINTH_TEST_DB)' }, () => {
  let server: TestServer;
  let functions: Functions;
  let callbacks: Server;
  let s3: TestS3Server | undefined;
  const reports: Array<{ execution: string; runner: string }> = [];
  const workers: WorkerProcess[] = [];

  before(async () => {
    // Each run of the function reports here, so the test counts runs rather than trusting records.
    callbacks = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        reports.push(JSON.parse(body) as { execution: string; runner: string });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => callbacks.listen(0, '127.0.0.1', resolve));
    s3 = await startS3Server();
    server = await TestServer.start({
      env: {
        PLINTH_WORKERS: 'off',
        PLINTH_FUNCTIONS_NETWORK: 'host',
        PLINTH_LOG_LEVEL: 'debug',
        PLINTH_FILES: s3.url,
        PLINTH_SECRET: randomBytes(32).toString('hex'),
        // Events cross processes, as between the nodes of a cluster.
        PLINTH_REDIS: REDIS_URL,
        PLINTH_REDIS_CHANNEL: `plinth:test:${randomUUID()}`,
      },
    });
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, key));
    workers.push(await startWorker(server), await startWorker(server));
  });
  after(async () => {
    for (const worker of workers) await stopWorker(worker);
    await server?.stop();
    await s3?.stop();
    callbacks?.close();
  });

  test('the workers build and run queued executions, each exactly once, the server none', async () => {
    const { port } = callbacks.address() as AddressInfo;
    const code = `
const runner = require('node:crypto').randomUUID();
module.exports = async ({ req, res }) => {
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const execution = req.headers['x-appwrite-execution-id'];
  await fetch('http://127.0.0.1:${port}/', { method: 'POST', body: JSON.stringify({ execution, runner }) });
  return res.json({ runner });
};`;
    // The server runs no workers: the build itself proves a worker took the job.
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'node-20.0', files: { 'index.js': code }, entrypoint: 'index.js' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);

    const queued = await Promise.all(Array.from({ length: EXECUTIONS }, () => functions.createExecution({ functionId, async: true })));
    assert.ok(queued.every((execution) => execution.status === 'waiting'));
    const done = await Promise.all(queued.map((execution) => waitForExecution(functions, functionId, execution.$id)));
    for (const execution of done) assert.equal(execution.status, 'completed', execution.errors);

    const ids = queued.map((execution) => execution.$id).sort();
    assert.deepEqual(reports.map((report) => report.execution).sort(), ids, 'the function ran once per execution');
    const byWorker = await loggedRuns(workers, EXECUTIONS);
    assert.deepEqual(byWorker.flat().sort(), ids, 'each execution ran in exactly one worker');
    assert.ok(byWorker.every((ran) => ran.length > 0), `both workers took executions: ${byWorker.map((ran) => ran.length).join(' + ')}`);
    assert.deepEqual(executionsRun(server.logs), [], 'the API server ran none');
    assert.equal(new Set(reports.map((report) => report.runner)).size, 2, 'one warm runtime per worker');

    // Sync executions still run in the API server, which answers them itself.
    const sync = await functions.createExecution({ functionId });
    assert.equal(sync.status, 'completed', sync.errors);
    assert.equal(reports.length, EXECUTIONS + 1);
  });

  test('queued executions go to the worker that holds the deployment warm', async () => {
    const { port } = callbacks.address() as AddressInfo;
    const code = `
const runner = require('node:crypto').randomUUID();
module.exports = async ({ req, res }) => {
  await fetch('http://127.0.0.1:${port}/', { method: 'POST', body: JSON.stringify({ execution: req.headers['x-appwrite-execution-id'], runner }) });
  return res.json({ runner });
};`;
    // The worker that builds the deployment starts its runtime at once: it is the warm one.
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'node-20.0', files: { 'index.js': code }, entrypoint: 'index.js' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    const before = reports.length;
    // One at a time, so both workers are idle and either could take each one.
    for (let run = 0; run < 6; run++) {
      const queued = await functions.createExecution({ functionId, async: true });
      const done = await waitForExecution(functions, functionId, queued.$id);
      assert.equal(done.status, 'completed', done.errors);
    }
    const runners = new Set(reports.slice(before).map((report) => report.runner));
    assert.equal(runners.size, 1, 'every execution ran in the one warm runtime');

    // Deleted through the API node, the function's unpacked code goes from every worker's disk.
    const copies = workers.map((worker) => join(worker.dataDir, 'functions', PROJECT, functionId));
    assert.ok(copies.some((copy) => existsSync(copy)), 'a worker holds the code it ran');
    await functions.delete({ functionId });
    for (let attempt = 0; attempt < 200 && copies.some((copy) => existsSync(copy)); attempt++) await delay(25);
    assert.deepEqual(copies.filter((copy) => existsSync(copy)), [], 'no worker keeps a deleted function\'s code');
  });

  test('a worker stops cleanly on SIGTERM', async () => {
    assert.equal(await stopWorker(workers.pop()), 0);
  });
});

describe('worker settings', () => {
  test('PLINTH_WORKERS takes on or off, and a typo stops the process with its name', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'worker'], { env: { ...process.env, PLINTH_WORKERS: 'maybe' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => resolve({ code, stderr }));
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /PLINTH_WORKERS must be on or off, got "maybe"/);
  });
});
