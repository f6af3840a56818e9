import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isDuplicate } from '../../data/duplicates.js';
import { dropOperations, findTransaction, listOperations, moveTransaction } from '../../data/documents/transaction-store.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { commitWithEvents } from '../event-outbox.js';
import { emitDocument } from './document-events.js';
import { invalidateListsOf } from './list-cache.js';
import type { Model } from './models.js';
import type { Caller } from '../../core/caller.js';
import type { CollectionContext } from './schema-context.js';
import { requirePendingTransaction, toTransactionModel } from './transactions.js';
import { loadRelationGraph, type RelationScope } from './relationship-context.js';
import { contextOf, scopeOf, type ContextCache } from './transactions-staging.js';
import { runOperation, writtenKey, type Written } from './transactions-operations.js';

interface Applied {
  context: CollectionContext;
  ids: { databaseId: string; collectionId: string };
  written: Written[];
}

/**
 * Applies every staged operation in ONE database transaction, in the order staged, and
 * marks the transaction committed inside it: all of it lands or none does. Each operation
 * is checked again against the state the earlier ones left. On failure nothing is applied,
 * the transaction is `failed`, and the error says why. The events of the written documents commit with them.
 */
export async function commitTransaction(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, id: string): Promise<Model> {
  const transaction = await requirePendingTransaction(deps, projectId, caller, id);
  const db = deps.db.project(projectId);
  if (!(await moveTransaction(db, transaction.seq, 'pending', 'committing', nowDateTime()))) throw new AppError('transaction_not_ready');

  let applied: Applied[];
  try {
    const operations = await listOperations(db, transaction.seq);
    // The schema is read before the transaction opens: SQLite has one connection, which the transaction holds.
    const cache: ContextCache = new Map();
    const contexts: CollectionContext[] = [];
    const scopes = new Map<string, RelationScope>();
    const relations: RelationScope[] = [];
    for (const operation of operations) {
      const context = await contextOf(deps, projectId, api, caller, cache, operation);
      const scope = scopeOf(deps, projectId, api, caller, scopes, context);
      // Every collection a relationship write or onDelete rule may reach, read before the transaction too.
      await loadRelationGraph(scope, context.collection.seq);
      contexts.push(context);
      relations.push(scope);
    }
    const now = nowDateTime();
    // The staged writes, the state change and the events of every written document commit together.
    applied = await commitWithEvents(deps, projectId, async (trx, emit) => {
      const result: Applied[] = [];
      const written = new Set<string>();
      for (const [i, operation] of operations.entries()) {
        const context = contexts[i]!;
        const staging = { at: operation.createdAt, written };
        const run = { db: trx, dialect: deps.db.dialect, api, caller, context, now, check: false, staged: new Set<string>(), relations: relations[i]!, stagedKeys: new Set<string>(), staging };
        const rows = await runOperation(run, operation);
        for (const { row, context: owner } of rows) written.add(writtenKey((owner ?? context).collection.seq, row._uid));
        result.push({ context, ids: { databaseId: operation.databaseId, collectionId: operation.collectionId }, written: rows });
      }
      if (!(await moveTransaction(trx, transaction.seq, 'committing', 'committed', nowDateTime()))) throw new AppError('transaction_conflict');
      await dropOperations(trx, transaction.seq);
      for (const { context, ids, written } of result) {
        // Cascaded deletes are emitted in their own collection's name.
        for (const { row, action, context: owner } of written) {
          emitDocument(emit, projectId, api, owner ? { ...ids, collectionId: owner.collection.id } : ids, owner ?? context, row, action);
        }
      }
      return result;
    });
  } catch (error) {
    await moveTransaction(db, transaction.seq, 'committing', 'failed', nowDateTime());
    await dropOperations(db, transaction.seq);
    if (isDuplicate(error)) throw new AppError('transaction_conflict', 'A staged write clashes with an existing id or unique index.');
    throw error;
  }

  for (const { context, written } of applied) invalidateListsOf(deps, projectId, written.map(({ context: owner }) => ({ context: owner ?? context })));
  return toTransactionModel((await findTransaction(db, id))!);
}
