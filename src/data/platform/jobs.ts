import type { Kysely } from 'kysely';
import { nowDateTime } from '../../core/datetime.js';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import type { JobRow, PlatformTables } from '../tables.js';
import { stringifyExactJson } from '../../core/exact-json.js';

export type StoredJob = Omit<JobRow, 'id'> & { id: number };

export interface NewJob {
  queue: string;
  projectId: string | null;
  payload: unknown;
  maxAttempts: number;
  runAt: number;
  preferredNode: string | null;
}

export async function insertJob(db: Kysely<PlatformTables>, job: NewJob): Promise<number> {
  const row = await db
    .insertInto('jobs')
    .values({
      queue: job.queue,
      project_id: job.projectId,
      payload: stringifyExactJson(job.payload ?? null),
      status: 'pending',
      attempts: 0,
      max_attempts: job.maxAttempts,
      run_at: job.runAt,
      locked_until: null,
      last_error: null,
      created_at: nowDateTime(),
      preferred_node: job.preferredNode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface ClaimRequest {
  queue: string;
  now: number;
  leaseUntil: number;
  /** The claiming node: it may take jobs that prefer it at once. */
  nodeId: string;
  /** Jobs preferring another node are taken only when due at or before this (epoch ms). */
  othersFrom: number;
  /** Jobs this node is running: even with a lapsed lease, they are not taken again here. */
  runningIds?: readonly number[];
}

/**
 * Takes the next due job of a queue and leases it until `leaseUntil`. A worker that dies
 * leaves the lease to expire, and the job becomes claimable again: that is the retry
 * after a crash. One statement, so two workers never take the same job.
 */
export async function claimJob(db: Kysely<PlatformTables>, dialect: DialectCapabilities, claim: ClaimRequest): Promise<StoredJob | undefined> {
  const { queue, now, leaseUntil } = claim;
  let next = db
    .selectFrom('jobs')
    .select('id')
    .where('queue', '=', queue)
    .where('status', '=', 'pending')
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .where((eb) => eb.or([eb('preferred_node', 'is', null), eb('preferred_node', '=', claim.nodeId), eb('run_at', '<=', claim.othersFrom)]))
    .orderBy('run_at')
    .orderBy('id')
    .limit(1);
  if (claim.runningIds?.length) next = next.where('id', 'not in', claim.runningIds);
  if (dialect.skipLocked) next = next.forUpdate().skipLocked();

  const row = await db
    .updateTable('jobs')
    .set((eb) => ({ locked_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', (eb) => eb.selectFrom(next.as('next')).select('next.id'))
    .returningAll()
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}

/** One claim of a job: its id and the attempt the claim counted, which no later claim repeats. */
export interface JobClaim {
  id: number;
  attempt: number;
}

/**
 * Extends a claim's lease to `until`. False when the claim is gone (the lease lapsed and
 * another worker claimed the job, or it was finished): its runner must stop.
 */
export async function renewJobLease(db: Kysely<PlatformTables>, claim: JobClaim, until: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: until })
    .where('id', '=', claim.id)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Removes a finished job, unless another worker has claimed it since (then that run owns it). */
export async function deleteJob(db: Kysely<PlatformTables>, claim: JobClaim): Promise<void> {
  await db.deleteFrom('jobs').where('id', '=', claim.id).where('attempts', '=', claim.attempt).execute();
}

/**
 * Records a failure of the claim's run: the job runs again at `retryAt`, or stays failed when
 * there is none. A run whose claim was taken over records nothing.
 */
export async function recordJobFailure(db: Kysely<PlatformTables>, claim: JobClaim, error: string, retryAt: number | undefined): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      status: retryAt === undefined ? 'failed' : 'pending',
      run_at: retryAt ?? 0,
      locked_until: null,
      last_error: error.slice(0, 4000),
    })
    .where('id', '=', claim.id)
    .where('attempts', '=', claim.attempt)
    .execute();
}

export async function countJobs(db: Kysely<PlatformTables>, queue: string, status: JobRow['status']): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('queue', '=', queue)
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
