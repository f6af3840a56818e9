import { sql, type Kysely, type SqlBool } from 'kysely';
import type { ColumnKind } from './document-ddl.js';
import { documentTableName } from './naming.js';
import type { StoredDocument } from './document-store.js';

/** A bounded change to one numeric column: add `delta` unless the result leaves [min, max]. */
export interface NumberAdjustment {
  column: string;
  kind: Extract<ColumnKind, 'integer' | 'float'>;
  delta: number;
  min?: number;
  max?: number;
  updatedAt: string;
}

const CASTS = { integer: sql.raw('bigint'), float: sql.raw('double precision') } as const;

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
  const next = sql`coalesce(${sql.ref(change.column)}, 0) + cast(${change.delta} as ${CASTS[change.kind]})`;
  let query = db
    .updateTable(documentTableName(collectionSeq))
    .set({ [change.column]: next, _updated_at: change.updatedAt })
    .where('_seq', '=', documentSeq);
  // Bounds compare as doubles so a fractional bound works on an integer column too.
  if (change.max !== undefined) query = query.where(sql<SqlBool>`${next} <= cast(${change.max} as double precision)`);
  if (change.min !== undefined) query = query.where(sql<SqlBool>`${next} >= cast(${change.min} as double precision)`);
  return (await query.returningAll().executeTakeFirst()) as StoredDocument | undefined;
}
