import type { Kysely } from 'kysely';
import type { StoredDocument } from './document-store.js';
import { documentTableName, permissionTableName } from './naming.js';

/** Bound parameters per statement stay far below PostgreSQL's 65,535. */
const CHUNK = 500;

/**
 * The documents with these ids, in no particular order; with `lock` (inside a transaction,
 * on engines with row locks) they stay locked until it ends, so values derived from them
 * cannot go stale.
 */
export async function findDocumentsByIds(db: Kysely<any>, collectionSeq: number, ids: readonly string[], lock = false): Promise<StoredDocument[]> {
  const rows: StoredDocument[] = [];
  for (const part of chunks(ids)) {
    let query = db.selectFrom(documentTableName(collectionSeq)).selectAll().where('_uid', 'in', part);
    if (lock) query = query.forUpdate();
    rows.push(...((await query.execute()) as StoredDocument[]));
  }
  return rows;
}

/** Sets the same columns on the given documents, in as few statements as the chunking allows. */
export async function updateDocumentsIn(
  trx: Kysely<any>,
  collectionSeq: number,
  documentSeqs: readonly number[],
  change: { values: Readonly<Record<string, unknown>>; updatedAt: string; createdAt?: string },
): Promise<StoredDocument[]> {
  const rows: StoredDocument[] = [];
  for (const part of chunks(documentSeqs)) {
    const updated = await trx
      .updateTable(documentTableName(collectionSeq))
      .set({ ...change.values, _updated_at: change.updatedAt, ...(change.createdAt ? { _created_at: change.createdAt } : {}) })
      .where('_seq', 'in', part)
      .returningAll()
      .execute();
    rows.push(...(updated as StoredDocument[]));
  }
  return rows;
}

/** Removes the given documents with their permission rows. */
export async function deleteDocumentsIn(trx: Kysely<any>, collectionSeq: number, documentSeqs: readonly number[]): Promise<void> {
  for (const part of chunks(documentSeqs)) {
    await trx.deleteFrom(permissionTableName(collectionSeq)).where('_document', 'in', part).execute();
    await trx.deleteFrom(documentTableName(collectionSeq)).where('_seq', 'in', part).execute();
  }
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) result.push(items.slice(start, start + CHUNK));
  return result;
}
