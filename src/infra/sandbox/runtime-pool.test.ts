import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createProcessSandbox } from './process-sandbox.js';
import { createRuntimePool, ExecutionTimeoutError, type RuntimePool, type RuntimeSpec } from './runtime-pool.js';

const SERVER = resolve(import.meta.dirname, '../../../runtimes/node/server.mjs');
const CODE = `
let calls = 0;
module.exports = async ({ req, res }) => {
  calls++;
  if (req.path === '/wait') await new Promise((r) => setTimeout(r, 200));
  if (req.path === '/spin') for (;;) {}
  if (req.path === '/late') await new Promise((r) => setTimeout(r, 1500));
  if (req.path === '/fork') {
    const { spawn } = require('node:child_process');
    let started = 0;
    let failure = null;
    for (let i = 0; i < 500 && !failure; i++) {
      try {
        const child = spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore' });
        child.on('error', (e) => (failure = failure || e.code));
        if (child.pid === undefined) failure = failure || 'no pid';
        else started++;
      } catch (e) {
        failure = e.code || String(e);
      }
      if (i % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    return res.json({ calls, pid: process.pid, started, failure });
  }
  return res.json({ calls, pid: process.pid });
};`;

describe('runtime pool', () => {
  let dir: string;
  let pool: RuntimePool;
  const spec = (key: string): RuntimeSpec => ({
    key,
    group: key.split(':')[0]!,
    owner: `owner-${key.split(':')[0]!}`,
    program: process.execPath,
    programArgs: [],
    serverFile: SERVER,
    codeDir: dir,
    env: { OPEN_RUNTIMES_ENTRYPOINT: 'index.js' },
    network: false,
    memoryMb: 0,
    tmpSizeMb: 16,
  });
  const request = (path = '/', timeoutSeconds = 5) => ({ method: 'GET', path, headers: {}, body: Buffer.alloc(0), timeoutSeconds, logging: true });
  const json = (body: Buffer) => JSON.parse(body.toString()) as { calls: number; pid: number };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-pool-'));
    await writeFile(join(dir, 'index.js'), CODE);
    pool = createRuntimePool({ sandbox: createProcessSandbox(), idleMs: 60_000, concurrency: 1, maxProcesses: 2, limits: { maxPids: 48, cpuSeconds: 60 } });
  });
  after(async () => {
    pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('reuses one warm process per key', async () => {
    const first = await pool.execute(spec('a:1'), request());
    const second = await pool.execute(spec('a:1'), request());
    assert.equal(first.coldStart, true);
    assert.equal(second.coldStart, false);
    assert.equal(json(second.body).pid, json(first.body).pid);
    assert.equal(json(second.body).calls, 2);
  });

  test('queues executions past the concurrency limit', async () => {
    const answers = await Promise.all([pool.execute(spec('a:1'), request('/wait')), pool.execute(spec('a:1'), request('/wait'))]);
    assert.deepEqual(answers.map((a) => a.statusCode), [200, 200]);
  });

  test('keeps within its process budget by stopping the least recently used idle process', async () => {
    await pool.execute(spec('b:1'), request());
    await pool.execute(spec('c:1'), request());
    assert.equal(pool.size(), 2);
    const again = await pool.execute(spec('a:1'), request());
    assert.equal(again.coldStart, true, 'a was the least recently used and was stopped');
  });

  test('stops a process that runs past its timeout, and the next request gets a fresh one', async () => {
    await assert.rejects(pool.execute(spec('d:1'), request('/spin', 1)), ExecutionTimeoutError);
    const fresh = await pool.execute(spec('d:1'), request());
    assert.equal(fresh.coldStart, true);
    assert.equal(json(fresh.body).calls, 1);
  });

  test('replaces a process whose execution ran into its timeout', async () => {
    const first = await pool.execute(spec('f:1'), request());
    const late = await pool.execute(spec('f:1'), request('/late', 1));
    assert.equal(late.statusCode, 500);
    const next = await pool.execute(spec('f:1'), request());
    assert.equal(next.coldStart, true);
    assert.notEqual(json(next.body).pid, json(first.body).pid);
  });

  test('a process tree cannot start more processes than its limit', async () => {
    const answer = await pool.execute(spec('g:1'), request('/fork'));
    const outcome = JSON.parse(answer.body.toString()) as { started: number; failure: string | null };
    assert.ok(outcome.failure, 'starting processes failed at some point');
    assert.ok(outcome.started < 48, `started ${outcome.started}`);
    pool.stopOwner('owner-g');
    assert.equal((await pool.execute(spec('g:1'), request())).coldStart, true);
  });

  test('stopGroup ends every process of a deployment', async () => {
    await pool.execute(spec('e:1'), request());
    pool.stopGroup('e');
    assert.equal((await pool.execute(spec('e:1'), request())).coldStart, true);
  });
});
