import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { rootFor } from './cgroup-roots.js';
import { createProcessSandbox } from './process-sandbox.js';
import { createRuntimePool, ExecutionTimeoutError, LeaseAbortedError, OutOfMemoryError, type RuntimePool, type RuntimeSpec } from './runtime-pool.js';

const SERVER = resolve(import.meta.dirname, '../../../runtimes/node/server.mjs');
const CODE = `
let calls = 0;
module.exports = async ({ req, res }) => {
  calls++;
  if (req.path === '/wait') await new Promise((r) => setTimeout(r, 200));
  if (req.path === '/spin') for (;;) {}
  if (req.path === '/late') await new Promise((r) => setTimeout(r, 1500));
  if (req.path === '/hold') {
    // Keeps MB of memory in use, and when asked stays busy until a file appears.
    globalThis.held = Buffer.alloc(Number(req.query.mb) * 1024 * 1024, 1);
    while (req.query.until && !require('node:fs').existsSync(req.query.until)) await new Promise((r) => setTimeout(r, 20));
  }
  if (req.path === '/hog') {
    const hoard = [];
    for (;;) hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));
  }
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

/** The test function in the Node runtime server, one process per key. */
function testRuntime(key: string, codeDir: string): RuntimeSpec {
  return {
    key,
    group: key,
    program: process.execPath,
    programArgs: [],
    serverFile: SERVER,
    codeDir,
    env: { OPEN_RUNTIMES_ENTRYPOINT: 'index.js' },
    network: 'none',
    tmpSizeMb: 16,
  };
}

describe('runtime pool', () => {
  let dir: string;
  let pool: RuntimePool;
  const spec = (key: string, memoryMb = 0): RuntimeSpec => ({
    ...testRuntime(key, dir),
    group: key.split(':')[0]!,
    owner: `owner-${key.split(':')[0]!}`,
    memoryMb,
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

  test('a lease abandoned while the process is busy leaves the queue and is never granted', async () => {
    const held = await pool.lease(spec('l:1'));
    const leaving = new AbortController();
    const abandoned = pool.lease(spec('l:1'), leaving.signal);
    const next = pool.lease(spec('l:1'));
    leaving.abort();
    await assert.rejects(abandoned, LeaseAbortedError);
    held.release();
    // The freed slot goes to the next waiter, not to the one who left (who would never release it).
    const granted = await next;
    assert.equal(granted.coldStart, false);
    granted.release();
    const before = pool.size();
    await assert.rejects(pool.lease(spec('l:2'), AbortSignal.abort()), LeaseAbortedError);
    assert.equal(pool.size(), before, 'no process started for a caller already gone');
  });

  test("a spec's own concurrency overrides the pool's", async () => {
    const wide = { ...spec('m:1'), concurrency: 2 };
    const first = await pool.lease(wide);
    const second = await pool.lease(wide);
    const leaving = new AbortController();
    const third = pool.lease(wide, leaving.signal);
    leaving.abort();
    await assert.rejects(third, LeaseAbortedError, 'both slots were taken: the third waited');
    first.release();
    second.release();
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

  test('a process over its memory limit is stopped with an out-of-memory error, and the next request gets a fresh one', { skip: !rootFor('memory') && 'no writable memory cgroup here' }, async () => {
    await assert.rejects(pool.execute(spec('h:1', 96), request('/hog')), OutOfMemoryError);
    const fresh = await pool.execute(spec('h:1', 96), request());
    assert.equal(fresh.coldStart, true);
    assert.equal(json(fresh.body).calls, 1);
  });
});

for (const accounting of ['cgroup', 'process'] as const) {
  describe(`runtime pool memory budget (${accounting === 'cgroup' ? 'memory cgroups' : 'resident memory of the process tree'})`, () => {
    const MB = 1024 * 1024;
    let dir: string;
    let pool: RuntimePool;
    const spec = (key: string): RuntimeSpec => testRuntime(key, dir);
    const hold = (mb: number, until = '') => ({ method: 'GET', path: `/hold?mb=${mb}&until=${encodeURIComponent(until)}`, headers: {}, body: Buffer.alloc(0), timeoutSeconds: 30, logging: true });
    const bytesOf = (key: string) => pool.memoryUsage().processes.find((p) => p.key === key)?.bytes ?? 0;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'plinth-budget-'));
      await writeFile(join(dir, 'index.js'), CODE);
      // Each process holds 160 MB beside the runtime's own memory: two together are over 300 MB, one is not.
      pool = createRuntimePool({
        sandbox: createProcessSandbox(),
        idleMs: 60_000,
        concurrency: 1,
        memoryBudgetMb: 300,
        limits: accounting === 'cgroup' ? { maxPids: 48, cpuSeconds: 60 } : undefined,
      });
    });
    after(async () => {
      pool.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('stops the least recently used idle process once the total is over the budget', async () => {
      await pool.execute(spec('a'), hold(160));
      assert.ok(bytesOf('a') >= 160 * MB, `a uses ${bytesOf('a')} bytes`);
      await pool.execute(spec('b'), hold(160));
      assert.deepEqual(pool.memoryUsage().processes.map((p) => p.key), ['b'], 'a was idle for longest and was stopped');
      assert.ok(pool.memoryUsage().totalBytes <= 300 * MB);
      assert.equal((await pool.execute(spec('b'), hold(1))).coldStart, false, 'b stayed warm');
      pool.stopGroup('b');
    });

    test('never stops a busy process, even over the budget', async () => {
      const go = join(dir, 'go');
      const busy = pool.execute(spec('busy'), hold(160, go));
      for (let attempt = 0; bytesOf('busy') < 160 * MB; attempt++) {
        assert.ok(attempt < 500, 'the busy process took its memory');
        await delay(20);
      }
      await pool.execute(spec('idle'), hold(160));
      const usage = pool.memoryUsage();
      assert.deepEqual(usage.processes.map((p) => [p.key, p.busy]), [['busy', true]], 'only the idle one could be stopped');
      await writeFile(go, '');
      const answer = await busy;
      assert.equal(answer.statusCode, 200);
      assert.equal((await pool.execute(spec('busy'), hold(1))).coldStart, false, 'the busy process was kept');
    });
  });
}
