import { createQueryId, sql, type CompiledQuery, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { statementOwner } from '../statement-owner.js';
import type { ProjectTables } from '../tables.js';

type Store = Kysely<ProjectTables> | Transaction<ProjectTables>;

/** An event of the outbox, as its writer stored it. */
export interface OutboxEntry {
  seq: number;
  event: string;
}

/** Writes events (JSON each) beside the change they tell of: in its transaction when given one. */
export async function appendOutbox(store: Store, events: readonly string[]): Promise<void> {
  if (events.length === 0) return;
  await runCompiledAppend(store, events, false);
}

/**
 * The same, returning the project's schema version read by the insert itself (see
 * schema-version.ts), so a change made on cached metadata checks it without a statement more.
 */
export async function appendOutboxReadingSchemaVersion(store: Store, events: readonly string[]): Promise<number> {
  const rows = await runCompiledAppend(store, events, true);
  return Number((rows[0] as { schema_version?: unknown } | undefined)?.schema_version);
}

/**
 * An append compiled once per store (see statementOwner), count of events and returning or
 * not: every change of a project runs one, of a few events mostly. Bulk writes' longer ones
 * are compiled each time rather than kept.
 */
const compiledAppends = new WeakMap<object, Map<string, CompiledQuery>>();
/** Stands in for the events' texts while compiling: the i-th parameter so marked takes the i-th event. */
const EVENT_SLOT = Symbol('event');
const MAX_KEPT_EVENTS = 8;

async function runCompiledAppend(store: Store, events: readonly string[], readingSchemaVersion: boolean): Promise<unknown[]> {
  const owner = statementOwner(store);
  let byShape = compiledAppends.get(owner);
  if (!byShape) {
    byShape = new Map();
    compiledAppends.set(owner, byShape);
  }
  const key = `${events.length}:${readingSchemaVersion}`;
  let query = byShape.get(key);
  if (!query) {
    const insert = store.insertInto('event_outbox').values(events.map(() => ({ event: EVENT_SLOT as unknown as string, claimed_until: null })));
    query = readingSchemaVersion
      ? insert
          // Built, not raw, so the store's schema (PostgreSQL) qualifies the version's table.
          .returning((eb) => (eb as unknown as ExpressionBuilder<{ schema_version: { id: number; version: number } }, never>).selectFrom('schema_version').select('version').where('id', '=', 1).as('schema_version'))
          .compile()
      : insert.compile();
    if (events.length <= MAX_KEPT_EVENTS) byShape.set(key, query);
  }
  let next = 0;
  const parameters = query.parameters.map((value) => (value === EVENT_SLOT ? events[next++] : value));
  const { rows } = await store.executeQuery({ ...query, parameters, queryId: createQueryId() });
  return rows;
}

/**
 * An event of a document created in the statement that writes its entry was sealed before the
 * database gave the document its sequence: its payload holds PENDING_SEQUENCE as `$sequence`,
 * and the entry carries the sequence after the sealed text, past SEQUENCE_MARK (never in a
 * sealed text, which is base64 after its version).
 */
export const PENDING_SEQUENCE = 'pending';
const SEQUENCE_MARK = '#';

/**
 * The entries of such events: each sealed text with the sequence the statement assigns. The
 * texts are bound as one array parameter (or a stand-in for it, in a statement compiled once).
 */
export function outboxEntryOfCreated(sealedEvents: readonly string[] | symbol, sequence: Expression<unknown>): RawBuilder<string> {
  return sql<string>`unnest(${sealedEvents}::text[]) || ${SEQUENCE_MARK} || ${sequence}`;
}

/** An entry's sealed event, and the sequence written beside it if any. */
export function splitOutboxEntry(entry: string): { sealed: string; sequence?: string } {
  const mark = entry.lastIndexOf(SEQUENCE_MARK);
  return mark === -1 ? { sealed: entry } : { sealed: entry.slice(0, mark), sequence: entry.slice(mark + 1) };
}

/**
 * Leases the oldest unclaimed (or lapsed) entries to this node until `until`, oldest first,
 * so two nodes never hand on the same entry at once. One statement, with no transaction around
 * it: every outbox write is a commit of its own on SQLite, and each drain makes one.
 */
export async function claimOutbox(store: Kysely<ProjectTables>, now: number, until: number, limit: number): Promise<OutboxEntry[]> {
  const claimable = (eb: ExpressionBuilder<ProjectTables, 'event_outbox'>) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]);
  const claimed = await store
    .updateTable('event_outbox')
    .set({ claimed_until: until })
    .where('seq', 'in', (eb) => eb.selectFrom('event_outbox').select('seq').where(claimable).orderBy('seq').limit(limit))
    // The condition again: on PostgreSQL another node may claim some between the subquery and the update.
    .where(claimable)
    .returning(['seq', 'event'])
    .execute();
  return claimed.sort((a, b) => a.seq - b.seq);
}

/** Removes entries once every consumer has them. */
export async function removeOutbox(store: Kysely<ProjectTables>, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await store.deleteFrom('event_outbox').where('seq', 'in', seqs).execute();
}

/**
 * Extends this node's lease on entries it still holds (those leased `until` by its claim) to
 * `next`. Answers the ones it still holds: an entry missing was taken over by another node
 * after the lease lapsed, and is that node's to hand on now.
 */
export async function renewOutboxClaim(store: Kysely<ProjectTables>, seqs: readonly number[], until: number, next: number): Promise<number[]> {
  if (seqs.length === 0) return [];
  const rows = await store
    .updateTable('event_outbox')
    .set({ claimed_until: next })
    .where('seq', 'in', seqs)
    .where('claimed_until', '=', until)
    .returning('seq')
    .execute();
  return rows.map((row) => Number(row.seq));
}
