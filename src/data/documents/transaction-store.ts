import { sql, type Kysely, type SqlBool } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import { parseExactJson, stringifyExactJson } from '../../core/exact-json.js';
import type { ProjectTables } from '../tables.js';
import type { StoredTransaction, TransactionStatus } from './transaction-tables.js';

export type { StoredTransaction, TransactionStatus } from './transaction-tables.js';

type Store = Kysely<ProjectTables>;

/** One staged write, in the order it arrived. */
export interface StagedOperation {
  action: string;
  databaseId: string;
  collectionId: string;
  documentId: string | null;
  data: unknown;
}

export interface StoredOperation extends StagedOperation {
  seq: number;
  createdAt: string;
}

const TRANSACTIONS: ListTable = {
  table: 'transactions',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', status: 'status', operations: 'operations', expiresAt: 'expires_at' },
  numberColumns: ['operations'],
};

/** Attributes list queries may name. */
export const TRANSACTION_QUERY_ATTRIBUTES = ['status', 'operations', 'expiresAt'];

export async function insertTransaction(db: Store, row: Omit<StoredTransaction, 'seq'>): Promise<StoredTransaction> {
  return db.insertInto('transactions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTransaction(db: Store, id: string): Promise<StoredTransaction | undefined> {
  return db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of transactions; `owner` limits it to one owner's. */
export async function listTransactionRows(db: Store, list: ParsedList, owner: string | undefined): Promise<{ total: number; rows: StoredTransaction[] }> {
  return listRows<StoredTransaction>(db, TRANSACTIONS, list, { total: true, ...(owner === undefined ? {} : { where: { owner } }) });
}

/**
 * Appends operations and raises the count in one transaction, only while the transaction is
 * pending and stays within `max` operations. False when it was not (then nothing is written).
 */
export async function appendOperations(
  db: Store,
  transactionSeq: number,
  operations: readonly StagedOperation[],
  max: number,
  now: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const raised = await trx
      .updateTable('transactions')
      .set({ operations: sql`operations + ${operations.length}`, updated_at: now })
      .where('seq', '=', transactionSeq)
      .where('status', '=', 'pending')
      .where(sql<SqlBool>`operations + ${operations.length} <= ${max}`)
      .executeTakeFirst();
    if (Number(raised.numUpdatedRows) !== 1) return false;
    await trx
      .insertInto('transaction_operations')
      .values(
        operations.map((operation) => ({
          transaction_seq: transactionSeq,
          action: operation.action,
          database_id: operation.databaseId,
          collection_id: operation.collectionId,
          document_id: operation.documentId,
          data: stringifyExactJson(operation.data ?? null),
          created_at: now,
        })),
      )
      .execute();
    return true;
  });
}

export async function listOperations(db: Store, transactionSeq: number): Promise<StoredOperation[]> {
  const rows = await db.selectFrom('transaction_operations').selectAll().where('transaction_seq', '=', transactionSeq).orderBy('seq').execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    action: row.action,
    databaseId: row.database_id,
    collectionId: row.collection_id,
    documentId: row.document_id,
    data: parseExactJson(row.data),
    createdAt: row.created_at,
  }));
}

/**
 * Moves the transaction from one status to another; false when it was not in `from`
 * (another request got there first), so only one caller ever commits it.
 */
export async function moveTransaction(db: Store, seq: number, from: TransactionStatus, to: TransactionStatus, now: string): Promise<boolean> {
  const result = await db.updateTable('transactions').set({ status: to, updated_at: now }).where('seq', '=', seq).where('status', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Staged operations are of no use once the transaction has ended. */
export async function dropOperations(db: Store, transactionSeq: number): Promise<void> {
  await db.deleteFrom('transaction_operations').where('transaction_seq', '=', transactionSeq).execute();
}

/** Transactions of `owner` whose expiry is after `now`, whatever their status. */
export async function countLiveTransactions(db: Store, owner: string, now: string): Promise<number> {
  const row = await db
    .selectFrom('transactions')
    .select((eb) => eb.fn.countAll().as('total'))
    .where('owner', '=', owner)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/**
 * Deletes the transactions whose expiry has passed, with their staged operations; none can
 * take writes or commit any more. One that is committing is left to finish.
 */
export async function deleteExpiredTransactions(db: Store, now: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const expired = trx.selectFrom('transactions').select('seq').where('expires_at', '<=', now).where('status', '<>', 'committing');
    await trx.deleteFrom('transaction_operations').where('transaction_seq', 'in', expired).execute();
    const result = await trx.deleteFrom('transactions').where('expires_at', '<=', now).where('status', '<>', 'committing').executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

export async function deleteTransactionRow(db: Store, seq: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('transaction_operations').where('transaction_seq', '=', seq).execute();
    await trx.deleteFrom('transactions').where('seq', '=', seq).execute();
  });
}

/** For tests and tools: moves the expiry, e.g. into the past. */
export async function setTransactionExpiry(db: Store, id: string, expiresAt: string): Promise<void> {
  await db.updateTable('transactions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}
