import type { MessageRow } from '../../data/messaging/tables.js';
import type { ServiceDeps } from '../deps.js';
import { MESSAGING_QUEUE } from '../messages/index.js';

/** The queued job that delivers a project's message, beside the internal SMS jobs of the same queue. */
export interface DeliveryJob {
  type: 'external';
  messageId: string;
  /** The schedule the job was queued for: a job of a since-moved schedule does nothing. */
  scheduledAt: string | null;
}

export function isDeliveryJob(payload: unknown): payload is DeliveryJob {
  return typeof payload === 'object' && payload !== null && (payload as { type?: unknown }).type === 'external';
}

/**
 * Queues a message's delivery: now, or at its schedule. The job lives in the durable
 * queue, so a schedule survives restarts, and one node alone claims it.
 */
export async function enqueueDelivery(deps: ServiceDeps, projectId: string, row: MessageRow): Promise<void> {
  const job: DeliveryJob = { type: 'external', messageId: row.id, scheduledAt: row.status === 'scheduled' ? row.scheduled_at : null };
  await deps.queue.enqueue(MESSAGING_QUEUE, job, {
    projectId,
    ...(job.scheduledAt ? { runAt: Date.parse(job.scheduledAt) } : {}),
  });
}
