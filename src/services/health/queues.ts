import { AppError } from '../../core/errors.js';
import type { QueueName } from '../../core/job-queue.js';
import type { ServiceDeps } from '../deps.js';

/** The spec names queues `v1-<name>`; ours drop the prefix, and the database queue is plural. */
export const SPEC_QUEUE_NAMES: Record<string, QueueName> = {
  'v1-database': 'databases',
  'v1-deletes': 'deletes',
  'v1-audits': 'audits',
  'v1-mails': 'mails',
  'v1-functions': 'functions',
  'v1-stats-resources': 'stats-resources',
  'v1-stats-usage': 'stats-usage',
  'v1-webhooks': 'webhooks',
  'v1-certificates': 'certificates',
  'v1-builds': 'builds',
  'v1-screenshots': 'screenshots',
  'v1-messaging': 'messaging',
  'v1-migrations': 'migrations',
};

export const DEFAULT_QUEUE_THRESHOLD = 5000;

/** A queue's size; at or above the threshold the check fails, so monitors can alert on backlog. */
export async function getQueueSize(
  deps: ServiceDeps,
  queue: QueueName,
  threshold: number,
  count: 'pending' | 'failed' = 'pending',
): Promise<{ size: number }> {
  const size = count === 'pending' ? await deps.queue.pendingCount(queue) : await deps.queue.failedCount(queue);
  if (size >= threshold) {
    throw new AppError('health_queue_size_exceeded', `The queue holds ${size} jobs, at or above the threshold of ${threshold}.`);
  }
  return { size };
}
