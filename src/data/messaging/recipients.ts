import type { Kysely } from 'kysely';
import type { ProjectTables, TargetRow } from '../tables.js';
import type { DeliveryRow } from './tables.js';

type Store = Kysely<ProjectTables>;

export interface Audience {
  providerType: string;
  topics: readonly string[];
  users: readonly string[];
  targets: readonly string[];
}

/**
 * One page of a message's recipients in id order, after `afterId`: the live targets of its
 * channel named directly, owned by its users, or subscribed to its topics. Each target once,
 * however many ways it is reached, and never the whole audience in memory.
 */
export async function recipientPage(db: Store, audience: Audience, afterId: string, limit: number): Promise<TargetRow[]> {
  const { topics, users, targets } = audience;
  if (topics.length + users.length + targets.length === 0) return [];
  return db
    .selectFrom('targets')
    .selectAll()
    .where('provider_type', '=', audience.providerType)
    .where('expired', '=', 0)
    .where('id', '>', afterId)
    .where((eb) => {
      const reached = [];
      if (targets.length > 0) reached.push(eb('id', 'in', targets));
      if (users.length > 0) reached.push(eb('user_id', 'in', users));
      if (topics.length > 0) {
        reached.push(eb('id', 'in', eb.selectFrom('messaging_subscribers').select('target_id').where('topic_id', 'in', topics)));
      }
      return eb.or(reached);
    })
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims recipients of a message before they are sent to: returns those no earlier run
 * recorded an outcome for. One run holds a message's job at a time, and it claims each page
 * once, so a recipient still `sending` here was left by a run that died mid-send, and whether
 * the provider took it is unknown: it is claimed again (a duplicate is better than a loss).
 */
export async function claimRecipients(db: Store, messageId: string, targetIds: readonly string[], now: string): Promise<Set<string>> {
  if (targetIds.length === 0) return new Set();
  return db.transaction().execute(async (trx) => {
    const seen = await trx
      .selectFrom('messaging_deliveries')
      .select(['target_id', 'state'])
      .where('message_id', '=', messageId)
      .where('target_id', 'in', targetIds)
      .execute();
    const state = new Map(seen.map((row) => [row.target_id, row.state]));
    const unclaimed = targetIds.filter((id) => !state.has(id));
    const fresh = new Set(targetIds.filter((id) => state.get(id) === 'sending'));
    if (unclaimed.length > 0) {
      // A run that stalled past its lease may still be claiming beside the one that took over:
      // each recipient goes to whichever claims it first.
      const inserted = await trx
        .insertInto('messaging_deliveries')
        .values(unclaimed.map((target_id) => ({ message_id: messageId, target_id, state: 'sending' as const, error: null, updated_at: now })))
        .onConflict((conflict) => conflict.columns(['message_id', 'target_id']).doNothing())
        .returning('target_id')
        .execute();
      for (const row of inserted) fresh.add(row.target_id);
    }
    return fresh;
  });
}

export async function recordDeliveries(
  db: Store,
  messageId: string,
  outcomes: readonly { targetId: string; error?: string | undefined }[],
  now: string,
): Promise<void> {
  if (outcomes.length === 0) return;
  const delivered = outcomes.filter((o) => o.error === undefined).map((o) => o.targetId);
  await db.transaction().execute(async (trx) => {
    if (delivered.length > 0) {
      await trx
        .updateTable('messaging_deliveries')
        .set({ state: 'sent', updated_at: now })
        .where('message_id', '=', messageId)
        .where('target_id', 'in', delivered)
        .execute();
    }
    for (const failed of outcomes.filter((o) => o.error !== undefined)) {
      await trx
        .updateTable('messaging_deliveries')
        .set({ state: 'failed', error: failed.error ?? null, updated_at: now })
        .where('message_id', '=', messageId)
        .where('target_id', '=', failed.targetId)
        .execute();
    }
  });
}

/** How many recipients were reached, and the first failures, for the message's record. */
export async function deliverySummary(db: Store, messageId: string, errorLimit: number): Promise<{ delivered: number; failed: number; errors: DeliveryRow[] }> {
  const counts = await db
    .selectFrom('messaging_deliveries')
    .select('state')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('message_id', '=', messageId)
    .groupBy('state')
    .execute();
  const count = (state: string) => Number(counts.find((row) => row.state === state)?.count ?? 0);
  const errors = await db
    .selectFrom('messaging_deliveries')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('state', '=', 'failed')
    .orderBy('target_id')
    .limit(errorLimit)
    .execute();
  return { delivered: count('sent'), failed: count('failed'), errors };
}

export async function markTargetsExpired(db: Store, targetIds: readonly string[], now: string): Promise<void> {
  if (targetIds.length === 0) return;
  await db.updateTable('targets').set({ expired: 1, updated_at: now }).where('id', 'in', targetIds).execute();
}
