import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import { inTransaction } from '../transactions.js';
import { updateDocumentIn, type DocumentChange, type StoredDocument } from './document-store.js';
import { documentTableName } from './naming.js';

/**
 * Reads a document, derives its change from what is stored, and writes it, all in one
 * transaction (the caller's, when `db` is one) with the row locked, so a concurrent writer
 * cannot slip in between the read and the write. PostgreSQL locks the row (engines with
 * SKIP LOCKED have FOR UPDATE); SQLite's single connection already runs one transaction at
 * a time. `compute` may throw to abandon the change; a unique clash throws DuplicateRowError.
 * Undefined when the document is gone.
 */
export async function updateLockedDocument(
  db: Kysely<any>,
  dialect: DialectCapabilities,
  collectionSeq: number,
  documentSeq: number,
  compute: (current: StoredDocument) => DocumentChange,
): Promise<StoredDocument | undefined> {
  return inTransaction(db, async (trx) => {
    const current = await lockedDocument(trx, dialect, collectionSeq, documentSeq);
    if (!current) return undefined;
    return updateDocumentIn(trx, collectionSeq, documentSeq, compute(current));
  });
}

/**
 * The document as stored, read inside the caller's transaction and locked until it ends
 * (PostgreSQL locks the row; SQLite's single connection runs one transaction at a time).
 */
export async function lockedDocument(trx: Kysely<any>, dialect: DialectCapabilities, collectionSeq: number, documentSeq: number): Promise<StoredDocument | undefined> {
  let query = trx.selectFrom(documentTableName(collectionSeq)).selectAll().where('_seq', '=', documentSeq);
  if (dialect.skipLocked) query = query.forUpdate();
  return (await query.executeTakeFirst()) as StoredDocument | undefined;
}
