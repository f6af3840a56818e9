import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Functions } from 'node-appwrite';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { BIN, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction, waitForExecution } from './deploy.js';

const PROJECT = 'workers';
/** More executions than one worker takes at once (8), each outlasting a worker's poll (1 s): both must take some. */
const EXECUTIONS = 12;

interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
}

/** A `plinth worker` beside the server: same database and data directory, no HTTP. */
async function startWorker(server: TestServer): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker'], { env: { ...server.processEnv(), PLINTH_LOG_LEVEL: 'debug' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}\n${lines.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('Plinth worker is taking jobs')) resolve();
    });
  });
  return { child, lines };
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
describe('two workers sharing one queue (PostgreSQL)', { skip: TEST_DATABASE_URL ? false : 'PostgreSQL only (PLINTH_TEST_DB)' }, () => {
  let server: TestServer;
  let functions: Functions;
  let callbacks: Server;
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
    server = await TestServer.start({ env: { PLINTH_WORKERS: 'off', PLINTH_FUNCTIONS_NETWORK: 'on', PLINTH_LOG_LEVEL: 'debug' } });
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, key));
    workers.push(await startWorker(server), await startWorker(server));
  });
  after(async () => {
    for (const worker of workers) await stopWorker(worker);
    await server?.stop();
    callbacks?.close();
  });

  test('the workers build and run queued executions, each exactly once, the server none', async () => {
    const { port } = callbacks.address() as AddressInfo;
    const code = `
const runner = require('node:crypto').randomUUID();
module.exports = async ({ req, res }) => {
  await new Promise((resolve) => setTimeout(resolve, 1200));
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
