import type { Generated } from 'kysely';

/** Tables of a project's store that hold database transactions and their staged writes (project migration 0004). */
export interface TransactionTables {
  transactions: TransactionTable;
  transaction_operations: TransactionOperationTable;
}

export type TransactionStatus = 'pending' | 'committing' | 'committed' | 'rolled_back' | 'failed';

export interface StoredTransaction {
  seq: number;
  id: string;
  status: TransactionStatus;
  operations: number;
  /** `user:ID` of the user who opened it; '' for API keys. */
  owner: string;
  expires_at: string;
  created_at: string;
  updated_at: string;
}

/** The transactions table: its sequence is numbered by the database. */
export interface TransactionTable extends Omit<StoredTransaction, 'seq'> {
  seq: Generated<number>;
}

/** One staged write as the transaction_operations table holds it; its data is JSON text. */
export interface TransactionOperationTable {
  seq: Generated<number>;
  transaction_seq: number;
  action: string;
  database_id: string;
  collection_id: string;
  document_id: string | null;
  data: string;
  created_at: string;
}
