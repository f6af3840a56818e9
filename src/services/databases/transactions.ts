import { formatDateTime, nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import {
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
import type { DatabaseCaller } from './permissions.js';

/** Seconds a transaction lives unless the caller asks otherwise, and the bounds it may ask for. */
export const TRANSACTION_TTL = { default: 300, min: 60, max: 3600 } as const;
/** The most operations one transaction may stage. */
export const MAX_TRANSACTION_OPERATIONS = 100;

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
function ownerOf(caller: DatabaseCaller): string {
  return caller.userId ? `user:${caller.userId}` : '';
}

export async function createTransaction(deps: ServiceDeps, projectId: string, caller: DatabaseCaller, input: { ttl?: number }): Promise<Model> {
  const now = new Date();
  const ttl = input.ttl ?? TRANSACTION_TTL.default;
  const row = await insertTransaction(deps.db.project(projectId), {
    id: uniqueId(),
    status: 'pending',
    operations: 0,
    owner: caller.isKey ? '' : ownerOf(caller),
    expires_at: formatDateTime(new Date(now.getTime() + ttl * 1000)),
    created_at: formatDateTime(now),
    updated_at: formatDateTime(now),
  });
  return toTransactionModel(row);
}

/** The transaction, if the caller may see it; others' transactions do not exist for them. */
export async function requireTransaction(deps: ServiceDeps, projectId: string, caller: DatabaseCaller, id: string): Promise<StoredTransaction> {
  const row = await findTransaction(deps.db.project(projectId), id);
  if (!row || (!caller.isKey && (row.owner === '' || row.owner !== ownerOf(caller)))) throw new AppError('transaction_not_found', undefined, { params: [id] });
  return row;
}

/** A transaction that still takes writes: pending and not expired. */
export async function requirePendingTransaction(deps: ServiceDeps, projectId: string, caller: DatabaseCaller, id: string): Promise<StoredTransaction> {
  const row = await requireTransaction(deps, projectId, caller, id);
  if (row.status !== 'pending') throw new AppError('transaction_not_ready', `The transaction is ${row.status}, not pending.`);
  if (Date.parse(row.expires_at) <= Date.now()) throw new AppError('transaction_expired');
  return row;
}

export async function getTransaction(deps: ServiceDeps, projectId: string, caller: DatabaseCaller, id: string): Promise<Model> {
  return toTransactionModel(await requireTransaction(deps, projectId, caller, id));
}

export async function listTransactions(deps: ServiceDeps, projectId: string, caller: DatabaseCaller, queries: string[]): Promise<Model> {
  const list = parseListQueries(queries, { attributes: TRANSACTION_QUERY_ATTRIBUTES });
  if (!caller.isKey && !caller.userId) return { total: 0, transactions: [] };
  const page = await listTransactionRows(deps.db.project(projectId), list, caller.isKey ? undefined : ownerOf(caller));
  return { total: page.total, transactions: page.rows.map(toTransactionModel) };
}

export async function deleteTransaction(deps: ServiceDeps, projectId: string, caller: DatabaseCaller, id: string): Promise<void> {
  const row = await requireTransaction(deps, projectId, caller, id);
  await deleteTransactionRow(deps.db.project(projectId), row.seq);
}

/** Discards the staged writes; nothing of them was ever applied. */
export async function rollbackTransaction(deps: ServiceDeps, projectId: string, caller: DatabaseCaller, id: string): Promise<Model> {
  const row = await requirePendingTransaction(deps, projectId, caller, id);
  const db = deps.db.project(projectId);
  if (!(await moveTransaction(db, row.seq, 'pending', 'rolled_back', nowDateTime()))) throw new AppError('transaction_not_ready');
  await dropOperations(db, row.seq);
  return toTransactionModel((await findTransaction(db, id))!);
}
