import { formatDateTime, nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import {
  countLiveTransactions,
  deleteExpiredTransactions,
  deleteTransactionRow,
  dropOperations,
  findTransaction,
  insertTransaction,
  listTransactionRows,
  moveTransaction,
  TRANSACTION_QUERY_ATTRIBUTES,
  type StoredTransaction,
} from '../../data/documents/transaction-store.js';
import type { ServiceDeps } from '../deps.js';
import type { Model } from './models.js';
import type { Caller } from '../../core/caller.js';

/** Seconds a transaction lives unless the caller asks otherwise, and the bounds it may ask for. */
export const TRANSACTION_TTL = { default: 300, min: 60, max: 3600 } as const;
/** The most operations one transaction may stage. */
export const MAX_TRANSACTION_OPERATIONS = 100;
/**
 * The most transactions one user may hold before they expire, whatever their status, so
 * no user can fill the store with them; servers (API keys) are not limited.
 */
export const MAX_LIVE_TRANSACTIONS_PER_USER = 50;

export function toTransactionModel(row: StoredTransaction): Model {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    status: row.status,
    operations: Number(row.operations),
    expiresAt: row.expires_at,
  };
}

/** Whose transactions a caller sees: keys see all, a user their own, a guest none. */
function ownerOf(caller: Caller): string {
  return caller.userId ? `user:${caller.userId}` : '';
}

/**
 * Opens a transaction for a user or a server. Guests may not: only its owner may use a
 * transaction, and a guest is nobody's. Each opening also sweeps the project's expired ones.
 */
export async function createTransaction(deps: ServiceDeps, projectId: string, caller: Caller, input: { ttl?: number }): Promise<Model> {
  if (!caller.actsForProject && !caller.userId) throw new AppError('user_unauthorized', 'Guests cannot open transactions; sign in first.');
  const db = deps.db.project(projectId);
  const now = new Date();
  const nowText = formatDateTime(now);
  await deleteExpiredTransactions(db, nowText);
  const ttl = input.ttl ?? TRANSACTION_TTL.default;
  const owner = caller.actsForProject ? '' : ownerOf(caller);
  const row = await insertTransaction(db, {
    id: uniqueId(),
    status: 'pending',
    operations: 0,
    owner,
    expires_at: formatDateTime(new Date(now.getTime() + ttl * 1000)),
    created_at: nowText,
    updated_at: nowText,
  });
  // Counted after inserting, so concurrent openings cannot all slip under the limit.
  if (owner !== '' && (await countLiveTransactions(db, owner, nowText)) > MAX_LIVE_TRANSACTIONS_PER_USER) {
    await deleteTransactionRow(db, row.seq);
    throw new AppError(
      'transaction_limit_exceeded',
      `A user may hold at most ${MAX_LIVE_TRANSACTIONS_PER_USER} transactions that have not expired; delete one or wait for one to expire.`,
    );
  }
  return toTransactionModel(row);
}

/** The transaction, if the caller may see it; others' transactions do not exist for them. */
export async function requireTransaction(deps: ServiceDeps, projectId: string, caller: Caller, id: string): Promise<StoredTransaction> {
  const row = await findTransaction(deps.db.project(projectId), id);
  if (!row || (!caller.actsForProject && (row.owner === '' || row.owner !== ownerOf(caller)))) throw new AppError('transaction_not_found', undefined, { params: [id] });
  return row;
}

/** A transaction that still takes writes: pending and not expired. */
export async function requirePendingTransaction(deps: ServiceDeps, projectId: string, caller: Caller, id: string): Promise<StoredTransaction> {
  const row = await requireTransaction(deps, projectId, caller, id);
  if (row.status !== 'pending') throw new AppError('transaction_not_ready', `The transaction is ${row.status}, not pending.`);
  if (Date.parse(row.expires_at) <= Date.now()) throw new AppError('transaction_expired');
  return row;
}

export async function getTransaction(deps: ServiceDeps, projectId: string, caller: Caller, id: string): Promise<Model> {
  return toTransactionModel(await requireTransaction(deps, projectId, caller, id));
}

export async function listTransactions(deps: ServiceDeps, projectId: string, caller: Caller, queries: string[]): Promise<Model> {
  const list = parseListQueries(queries, { attributes: TRANSACTION_QUERY_ATTRIBUTES });
  if (!caller.actsForProject && !caller.userId) return { total: 0, transactions: [] };
  const page = await listTransactionRows(deps.db.project(projectId), list, caller.actsForProject ? undefined : ownerOf(caller));
  return { total: page.total, transactions: page.rows.map(toTransactionModel) };
}

export async function deleteTransaction(deps: ServiceDeps, projectId: string, caller: Caller, id: string): Promise<void> {
  const row = await requireTransaction(deps, projectId, caller, id);
  await deleteTransactionRow(deps.db.project(projectId), row.seq);
}

/** Discards the staged writes; nothing of them was ever applied. */
export async function rollbackTransaction(deps: ServiceDeps, projectId: string, caller: Caller, id: string): Promise<Model> {
  const row = await requirePendingTransaction(deps, projectId, caller, id);
  const db = deps.db.project(projectId);
  if (!(await moveTransaction(db, row.seq, 'pending', 'rolled_back', nowDateTime()))) throw new AppError('transaction_not_ready');
  await dropOperations(db, row.seq);
  return toTransactionModel((await findTransaction(db, id))!);
}
