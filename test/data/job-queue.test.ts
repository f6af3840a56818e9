import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../src/data/database.js';
import { createDatabaseJobQueue, type DatabaseJobQueueOptions } from '../../src/data/platform/job-queue.js';
import type { Job, JobQueue } from '../../src/core/job-queue.js';
import { engineLabel } from '../support/databases.js';
import { Child, deferred, TestStore, waitUntil } from './helpers.js';

/** Short enough for a quick file, long enough that no handler here outlives its lease. */
const FAST: DatabaseJobQueueOptions = { pollMs: 20, leaseMs: 5000 };

describe(`Database job queue (${engineLabel})`, () => {
  let store: TestStore;
  let db: Database;
  const queues: JobQueue[] = [];
  // The workers' poll timers are unref'd (a server's socket keeps its process alive); while a
  // test awaits a job on SQLite nothing else holds the event loop open, so this does.
  let keepAlive: NodeJS.Timeout;

  function queue(options: DatabaseJobQueueOptions = FAST, on: Database = db): JobQueue {
    const created = createDatabaseJobQueue(on, options);
    queues.push(created);
    return created;
  }

  async function jobRow(queueName: string) {
    return db.platform.selectFrom('jobs').selectAll().where('queue', '=', queueName).executeTakeFirst();
  }

  before(async () => {
    keepAlive = setInterval(() => {}, 1000);
    store = await TestStore.create();
    db = store.open();
    await db.migrate();
  });
  after(async () => {
    await Child.killAll();
    await Promise.all(queues.map((q) => q.close()));
    await store.destroy();
    clearInterval(keepAlive);
  });

  it('runs each job once, with its payload and project', async () => {
    const jobs = queue();
    const runs = new Map<number, Job[]>();
    const allSeen = deferred();
    jobs.process(
      'once',
      async (job) => {
        const n = (job.payload as { n: number }).n;
        runs.set(n, [...(runs.get(n) ?? []), job]);
        if (runs.size === 20) allSeen.resolve();
      },
      { concurrency: 3 },
    );
    for (let n = 0; n < 20; n++) await jobs.enqueue('once', { n }, { projectId: n % 2 ? 'odd' : 'even' });
    await allSeen.promise;
    await waitUntil(async () => (await jobs.pendingCount('once')) === 0);

    for (let n = 0; n < 20; n++) {
      const seen = runs.get(n) ?? [];
      assert.equal(seen.length, 1, `job ${n} ran ${seen.length} times`);
      assert.deepEqual(seen[0]!.payload, { n });
      assert.equal(seen[0]!.projectId, n % 2 ? 'odd' : 'even');
      assert.equal(seen[0]!.attempt, 1);
      assert.equal(seen[0]!.queue, 'once');
    }
    assert.equal(await jobs.failedCount('once'), 0);
    assert.equal(await jobRow('once'), undefined, 'done jobs are deleted');
  });

  it('does not run a job before its runAt', async () => {
    const jobs = queue();
    const ran = deferred<number>();
    jobs.process('later', async () => ran.resolve(Date.now()));
    const runAt = Date.now() + 300;
    await jobs.enqueue('later', null, { runAt });
    assert.ok((await ran.promise) >= runAt);
  });

  it('retries a failing handler, which then succeeds', async () => {
    const errors: unknown[] = [];
    const jobs = queue({ ...FAST, onError: (error) => errors.push(error) });
    const attempts: number[] = [];
    const succeeded = deferred<Job>();
    jobs.process('flaky', async (job) => {
      attempts.push(job.attempt);
      if (job.attempt === 1) throw new Error('first attempt fails');
      succeeded.resolve(job);
    });
    await jobs.enqueue('flaky', { hello: 'world' });

    const job = await succeeded.promise;
    assert.deepEqual(job.payload, { hello: 'world' });
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /first attempt fails/);
    await waitUntil(async () => (await jobs.pendingCount('flaky')) === 0);
    assert.equal(await jobs.failedCount('flaky'), 0);
  });

  it('gives up after maxAttempts: the job counts as failed and keeps its error', async () => {
    const jobs = queue();
    let calls = 0;
    jobs.process('doomed', async () => {
      calls++;
      throw new Error(`failure ${calls}`);
    });
    await jobs.enqueue('doomed', null, { maxAttempts: 2 });

    await waitUntil(async () => (await jobs.failedCount('doomed')) === 1);
    assert.equal(calls, 2);
    assert.equal(await jobs.pendingCount('doomed'), 0);
    const row = await jobRow('doomed');
    assert.equal(row?.status, 'failed');
    assert.equal(row?.attempts, 2);
    assert.match(row?.last_error ?? '', /failure 2/);
    // A failed job is never claimed again.
    await sleep(100);
    assert.equal(calls, 2);
  });

  for (const mode of ['self-kill', 'hang'] as const) {
    it(`runs a job again after its worker died holding it (${mode === 'self-kill' ? 'SIGKILL in the handler' : 'handler hangs, then kill -9'})`, async () => {
      const queueName = `crash-${mode}`;
      const leaseMs = 400;
      await queue().enqueue(queueName, { important: true });

      const child = Child.start('crash-worker.ts', store.childEnv(), [queueName, mode, String(leaseMs)]);
      await child.waitForLines((lines) => lines.some((line) => line.startsWith('claimed ')));
      if (mode === 'hang') child.kill('SIGKILL');
      const exit = await child.exited;
      assert.deepEqual(exit, { code: null, signal: 'SIGKILL' }, child.stderr);
      assert.match(child.lines[0]!, /^claimed \d+ 1$/);

      // The dead worker's claim is still on the row: the job waits for its lease to run out.
      const claimed = await jobRow(queueName);
      assert.equal(claimed?.status, 'pending');
      assert.equal(claimed?.attempts, 1);
      assert.ok(claimed?.locked_until);

      const rerun = deferred<{ job: Job; at: number }>();
      queue({ pollMs: 20, leaseMs }).process(queueName, async (job) => rerun.resolve({ job, at: Date.now() }));
      const { job, at } = await rerun.promise;
      assert.equal(String(job.id), child.lines[0]!.split(' ')[1]);
      assert.equal(job.attempt, 2);
      assert.deepEqual(job.payload, { important: true });
      assert.ok(at >= claimed.locked_until, 'not taken from under a live lease');

      await waitUntil(async () => (await jobRow(queueName)) === undefined);
    });
  }

  it('a job running through many leases keeps its claim: a second worker never runs it too', async () => {
    const leaseMs = 150;
    const second = store.open();
    const runs: string[] = [];
    const renewals = new Set<number>();
    const done = deferred<Job>();
    const handler = (worker: string) => async (job: Job) => {
      runs.push(worker);
      // Runs until its lease was renewed four times over, both workers polling all along.
      await waitUntil(async () => {
        const row = await jobRow('long');
        if (row?.locked_until) renewals.add(Number(row.locked_until));
        return renewals.size >= 5;
      });
      done.resolve(job);
    };
    queue({ pollMs: 10, leaseMs }).process('long', handler('A'));
    queue({ pollMs: 10, leaseMs }, second).process('long', handler('B'));
    await queue().enqueue('long', null);

    const job = await done.promise;
    await waitUntil(async () => (await jobRow('long')) === undefined);
    assert.equal(runs.length, 1, `run by ${runs.join(', ')}`);
    assert.equal(job.attempt, 1);
    assert.equal(job.signal.aborted, false);
  });

  for (const ending of ['returns', 'throws'] as const) {
    it(`a run whose claim another worker took over is told to stop, and when it ${ending === 'returns' ? 'returns' : 'fails'} records nothing`, async () => {
      const queueName = `taken-${ending}`;
      const jobs = queue({ pollMs: 20, leaseMs: 300 });
      const started = deferred<Job>();
      const stopped = deferred();
      jobs.process(queueName, async (job) => {
        started.resolve(job);
        await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }));
        stopped.resolve();
        if (ending === 'throws') throw new Error('stopped half way');
      });
      await queue().enqueue(queueName, null);
      const job = await started.promise;

      // What a worker claiming the job after the lease lapsed writes: the next attempt, its own lease.
      const takenUntil = Date.now() + 60_000;
      await db.platform
        .updateTable('jobs')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), locked_until: takenUntil }))
        .where('id', '=', job.id)
        .execute();

      await stopped.promise;
      assert.ok(job.signal.aborted);
      await jobs.close(); // the old run has ended and written whatever it would write
      const row = await jobRow(queueName);
      assert.equal(row?.status, 'pending', 'the job still belongs to the run that took it over');
      assert.equal(row?.attempts, 2);
      assert.equal(Number(row?.locked_until), takenUntil);
      assert.equal(row?.last_error, null);
    });
  }

  it('close() waits for the jobs its workers took, and none starts after it resolved', async () => {
    // A job running when close() is called...
    const slow = queue();
    const started = deferred();
    let finished = false;
    slow.process('closing-running', async () => {
      started.resolve();
      await sleep(100);
      finished = true;
    });
    await slow.enqueue('closing-running', null);
    await started.promise;
    await slow.close();
    assert.ok(finished, 'close() resolved before the running job ended');
    assert.equal(await jobRow('closing-running'), undefined);

    // ...and one whose claim is on its way to the database when close() is called.
    await queue().enqueue('closing-claim', null);
    const racing = queue();
    let closeResolved = false;
    let startedAfterClose = false;
    racing.process('closing-claim', async () => {
      startedAfterClose = closeResolved;
    });
    await racing.close(); // process() has just sent its first claim
    closeResolved = true;
    await sleep(100);
    assert.equal(startedAfterClose, false, 'a job started after close() resolved');
  });

  it('two workers on the same store never run the same job twice', async (t) => {
    const total = 50;
    // Enqueued first, so that both workers compete for them from the start.
    const producer = queue();
    for (let n = 0; n < total; n++) await producer.enqueue('shared', { n });

    const second = store.open(); // another instance: its own connection(s), as another process would have
    const runs = new Map<number, string[]>();
    const allSeen = deferred();
    const handler = (worker: string) => async (job: Job) => {
      const n = (job.payload as { n: number }).n;
      runs.set(n, [...(runs.get(n) ?? []), worker]);
      if (runs.size === total) allSeen.resolve();
      await sleep(2 + Math.random() * 5);
    };
    queue({ pollMs: 10, leaseMs: 10_000 }).process('shared', handler('A'), { concurrency: 4 });
    queue({ pollMs: 10, leaseMs: 10_000 }, second).process('shared', handler('B'), { concurrency: 4 });

    await allSeen.promise;
    await waitUntil(async () => (await producer.pendingCount('shared')) === 0);
    await sleep(100); // a few more polls: nothing may come back

    const twice = [...runs].filter(([, workers]) => workers.length !== 1);
    assert.deepEqual(twice, [], 'jobs run more than once');
    assert.equal(runs.size, total);
    const byWorker = { A: 0, B: 0 };
    for (const [, [worker]] of runs) byWorker[worker as 'A' | 'B']++;
    t.diagnostic(`worker A ran ${byWorker.A} jobs, worker B ${byWorker.B}`);
    assert.ok(byWorker.A > 0 && byWorker.B > 0, 'both workers took part');
  });
});
