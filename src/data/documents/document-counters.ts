import { sql, type Kysely, type SqlBool } from 'kysely';
import { documentTableName } from './naming.js';
import type { StoredDocument } from './document-store.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A bounded change to one numeric column: add `delta` unless the result leaves [min, max].
 * Integer columns take BigInt steps and bounds, so 64-bit values change exactly; float
 * columns take numbers.
 */
export type NumberAdjustment = { column: string; updatedAt: string } & (
  | { kind: 'integer'; delta: bigint; min?: bigint; max?: bigint }
  | { kind: 'float'; delta: number; min?: number; max?: number }
);

/**
 * Adds to a numeric column in ONE UPDATE whose WHERE holds the bounds, so concurrent
 * adjustments never read a stale value; a NULL counts as 0. Undefined when no row was
 * changed: the document is gone or the result would cross a bound.
 */
export async function adjustNumber(
  db: Kysely<any>,
  collectionSeq: number,
  documentSeq: number,
  change: NumberAdjustment,
): Promise<StoredDocument | undefined> {
  const current = sql`coalesce(${sql.ref(change.column)}, 0)`;
  let query = db.updateTable(documentTableName(collectionSeq)).where('_seq', '=', documentSeq);
  if (change.kind === 'integer') {
    // The bound is moved onto the current value (current <= max - delta), so nothing is
    // computed past 64 bits: SQLite would turn an overflowing sum into an inexact REAL.
    const ceiling = change.max === undefined ? undefined : change.max - change.delta;
    const floor = change.min === undefined ? undefined : change.min - change.delta;
    if ((ceiling !== undefined && ceiling < INT64_MIN) || (floor !== undefined && floor > INT64_MAX)) return undefined;
    if (ceiling !== undefined && ceiling < INT64_MAX) query = query.where(sql<SqlBool>`${current} <= cast(${ceiling} as bigint)`);
    if (floor !== undefined && floor > INT64_MIN) query = query.where(sql<SqlBool>`${current} >= cast(${floor} as bigint)`);
    query = query.set({ [change.column]: sql`${current} + cast(${change.delta} as bigint)`, _updated_at: change.updatedAt });
  } else {
    const next = sql`${current} + cast(${change.delta} as double precision)`;
    if (change.max !== undefined) query = query.where(sql<SqlBool>`${next} <= cast(${change.max} as double precision)`);
    if (change.min !== undefined) query = query.where(sql<SqlBool>`${next} >= cast(${change.min} as double precision)`);
    query = query.set({ [change.column]: next, _updated_at: change.updatedAt });
  }
  return (await query.returningAll().executeTakeFirst()) as StoredDocument | undefined;
}
