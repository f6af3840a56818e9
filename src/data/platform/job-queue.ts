import { randomUUID } from 'node:crypto';
import type { EnqueueOptions, Job, JobHandler, JobQueue, ProcessOptions } from '../../core/job-queue.js';
import type { Database } from '../database.js';
import { claimJob, countJobs, deleteJob, insertJob, recordJobFailure, renewJobLease, type JobClaim, type StoredJob } from './jobs.js';
import { parseExactJson } from '../../core/exact-json.js';
import { keepLeaseRenewed } from '../../core/lease-renewal.js';

export interface DatabaseJobQueueOptions {
  /**
   * How long a claim lasts unless renewed. A running job's worker renews it every third of
   * this, so only a worker that died (or stalled this long) loses its job to another.
   */
  leaseMs?: number;
  /** How often idle workers look for jobs enqueued by other processes. */
  pollMs?: number;
  /** How long a job preferring another node waits for it; longer than a poll, so an idle preferred node sees it first. */
  preferenceMs?: number;
  onError?: (error: unknown, job?: Job) => void;
}

const DEFAULT_MAX_ATTEMPTS = 5;

interface Worker {
  wake(): void;
  stop(): void;
}

/** Exponential back-off: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 5 * 60_000);
}

/** A durable queue kept in the platform store; every process sharing the store shares the queue. */
export function createDatabaseJobQueue(db: Database, options: DatabaseJobQueueOptions = {}): JobQueue {
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const preferenceMs = options.preferenceMs ?? 2 * pollMs;
  const nodeId = randomUUID();
  const onError = options.onError ?? (() => {});
  const workers = new Map<string, Worker>();
  const running = new Set<Promise<void>>();
  /** Passes of a worker's drain loop under way: one may be claiming a job as close() is called. */
  const passes = new Set<Promise<void>>();
  let closed = false;

  async function runJob(stored: StoredJob, handler: JobHandler): Promise<void> {
    const claim: JobClaim = { id: stored.id, attempt: stored.attempts };
    // A job whose worker kept dying comes back past its limit: give up on it.
    if (stored.attempts > stored.max_attempts) {
      await recordJobFailure(db.platform, claim, stored.last_error ?? 'the worker stopped while running it', undefined);
      return;
    }
    const lease = holdLease(claim, stored.locked_until ?? Date.now() + leaseMs);
    const job: Job = {
      id: stored.id,
      queue: stored.queue,
      projectId: stored.project_id,
      payload: parseExactJson(stored.payload),
      attempt: stored.attempts,
      signal: lease.signal,
    };
    try {
      await handler(job);
      lease.stop();
      await deleteJob(db.platform, claim);
    } catch (error) {
      lease.stop();
      onError(error, job);
      const retryAt = stored.attempts < stored.max_attempts ? Date.now() + retryDelayMs(stored.attempts) : undefined;
      await recordJobFailure(db.platform, claim, String((error as Error)?.stack ?? error), retryAt);
    }
  }

  /**
   * Renews a running job's lease until `stop`. The signal aborts once the claim is lost: the row
   * says another run owns it, or the lease ran out while the database could not be reached, so
   * another worker may have taken it. This node never takes a job it is running, so only another
   * node can take over from a run that stalled past its lease.
   */
  function holdLease(claim: JobClaim, firstUntil: number): { signal: AbortSignal; stop(): void } {
    const lost = new AbortController();
    const stop = keepLeaseRenewed({
      leaseMs,
      until: firstUntil,
      held: () => !lost.signal.aborted,
      renew: (_until, next) => renewJobLease(db.platform, claim, next),
      lost: (reason) =>
        lost.abort(new Error(reason === 'taken' ? `job ${claim.id}: claimed by another worker` : `job ${claim.id}: lease lapsed before it could be renewed`)),
      onError: (error) => onError(error),
    });
    return { signal: lost.signal, stop };
  }

  function startWorker(queue: string, handler: JobHandler, concurrency: number): Worker {
    let active = 0;
    const runningIds = new Set<number>();
    let draining = false;

    async function drain(): Promise<void> {
      if (draining || closed) return;
      draining = true;
      try {
        while (!closed && active < concurrency) {
          const now = Date.now();
          const stored = await claimJob(db.platform, db.dialect, {
            queue,
            now,
            leaseUntil: now + leaseMs,
            nodeId,
            othersFrom: now - preferenceMs,
            runningIds: [...runningIds],
          });
          if (!stored) break;
          active++;
          runningIds.add(stored.id);
          const run = runJob(stored, handler)
            .catch((error) => onError(error))
            .finally(() => {
              active--;
              runningIds.delete(stored.id);
              running.delete(run);
              wake();
            });
          running.add(run);
        }
      } catch (error) {
        onError(error);
      } finally {
        draining = false;
      }
    }

    function wake(): void {
      const pass = drain();
      passes.add(pass);
      void pass.finally(() => passes.delete(pass));
    }

    const timer = setInterval(wake, pollMs);
    timer.unref();
    wake();
    return { wake, stop: () => clearInterval(timer) };
  }

  return {
    nodeId,
    processes: (queue) => workers.has(queue),
    async enqueue(queue: string, payload: unknown, enqueueOptions: EnqueueOptions = {}) {
      await insertJob(db.platform, {
        queue,
        projectId: enqueueOptions.projectId ?? null,
        payload,
        maxAttempts: enqueueOptions.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        runAt: enqueueOptions.runAt ?? Date.now(),
        preferredNode: enqueueOptions.preferredNode ?? null,
      });
      // Wake this process's worker at once instead of waiting for its next poll.
      workers.get(queue)?.wake();
    },
    process(queue: string, handler: JobHandler, processOptions: ProcessOptions = {}) {
      if (workers.has(queue)) throw new Error(`queue "${queue}" already has a worker`);
      workers.set(queue, startWorker(queue, handler, processOptions.concurrency ?? 1));
    },
    pendingCount: (queue) => countJobs(db.platform, queue, 'pending'),
    failedCount: (queue) => countJobs(db.platform, queue, 'failed'),
    async close() {
      closed = true;
      for (const worker of workers.values()) worker.stop();
      workers.clear();
      // A claim in flight may still hand over a job: let it start, then wait for it.
      await Promise.all(passes);
      await Promise.all(running);
    },
  };
}
