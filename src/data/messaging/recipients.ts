import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import type { ProjectTables, TargetRow } from '../tables.js';
import type { DeliveryRow } from './tables.js';

type Store = Kysely<ProjectTables>;

export interface Audience {
  providerType: string;
  topics: readonly string[];
  users: readonly string[];
  targets: readonly string[];
}

/** What sending needs of a recipient: the rest of its target row stays in the store. */
export type Recipient = Pick<TargetRow, 'id' | 'provider_id' | 'identifier'>;

/**
 * A page of target ids as one JSON parameter, read back as rows by the engine: a statement of a
 * few parameters that compiles and prepares once, however many recipients a page holds.
 */
function targetIdRows(dialect: DialectCapabilities, targetIds: readonly string[]) {
  return (dialect.jsonRows(JSON.stringify(targetIds.map((target_id) => ({ target_id }))), { target_id: 'text' }) as RawBuilder<{ target_id: string }>).as('page');
}

/**
 * One page of a message's recipients in id order, after `afterId`: the live targets of its
 * channel named directly, owned by its users, or subscribed to its topics. Each target once,
 * however many ways it is reached, and never the whole audience in memory.
 */
export async function recipientPage(db: Store, audience: Audience, afterId: string, limit: number): Promise<Recipient[]> {
  const { topics, users, targets } = audience;
  if (topics.length + users.length + targets.length === 0) return [];
  return db
    .selectFrom('targets')
    .select(['id', 'provider_id', 'identifier'])
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

/** Whether an earlier run of the message recorded any recipient: only then can a page hold claims already. */
export async function hasDeliveries(db: Store, messageId: string): Promise<boolean> {
  const row = await db.selectFrom('messaging_deliveries').select('target_id').where('message_id', '=', messageId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims recipients of a message before they are sent to: returns those no earlier run
 * recorded an outcome for. One run holds a message's job at a time, and it claims each page
 * once, so a recipient still `sending` here was left by a run that died mid-send, and whether
 * the provider took it is unknown: it is claimed again (a duplicate is better than a loss).
 * `resumed` says an earlier run left claims; a first run only inserts, which is one statement.
 */
export async function claimRecipients(
  db: Store,
  dialect: DialectCapabilities,
  messageId: string,
  targetIds: readonly string[],
  now: string,
  resumed: boolean,
): Promise<Set<string>> {
  if (targetIds.length === 0) return new Set();
  if (!resumed) return new Set(await insertClaims(db, dialect, messageId, targetIds, now));
  return db.transaction().execute(async (trx) => {
    const seen = await trx
      .selectFrom('messaging_deliveries')
      .select(['target_id', 'state'])
      .where('message_id', '=', messageId)
      .where('target_id', 'in', trx.selectFrom(targetIdRows(dialect, targetIds)).select('page.target_id'))
      .execute();
    const state = new Map(seen.map((row) => [row.target_id, row.state]));
    const unclaimed = targetIds.filter((id) => !state.has(id));
    const fresh = new Set(targetIds.filter((id) => state.get(id) === 'sending'));
    for (const id of await insertClaims(trx, dialect, messageId, unclaimed, now)) fresh.add(id);
    return fresh;
  });
}

/**
 * Inserts the claims no one holds yet and returns the ids this run got. A run that stalled past
 * its lease may still be claiming beside the one that took over: each recipient goes to
 * whichever claims it first.
 */
async function insertClaims(db: Store, dialect: DialectCapabilities, messageId: string, targetIds: readonly string[], now: string): Promise<string[]> {
  if (targetIds.length === 0) return [];
  const page = db
    .selectFrom(targetIdRows(dialect, targetIds))
    .select([sql.val(messageId).as('message_id'), 'page.target_id', sql.lit('sending').as('state'), sql.lit(null).as('error'), sql.val(now).as('updated_at')])
    // SQLite reads `on conflict` after a select without a where as a join's constraint.
    .where(sql.lit(true));
  const inserted = await db
    .insertInto('messaging_deliveries')
    .columns(['message_id', 'target_id', 'state', 'error', 'updated_at'])
    .expression(page)
    .onConflict((conflict) => conflict.columns(['message_id', 'target_id']).doNothing())
    .returning('target_id')
    .execute();
  return inserted.map((row) => row.target_id);
}

export async function recordDeliveries(
  db: Store,
  dialect: DialectCapabilities,
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
        .where('target_id', 'in', trx.selectFrom(targetIdRows(dialect, delivered)).select('page.target_id'))
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
