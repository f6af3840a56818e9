import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { appendOperations, findTransaction, listOperations, type StagedOperation } from '../../data/documents/transaction-store.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { toDocumentModel, type Model } from './models.js';
import type { Caller } from '../../core/caller.js';
import { isRelationship } from '../../data/documents/relationship-store.js';
import { addNestedIds } from './relationship-checks.js';
import { relationScope, type RelationScope } from './relationship-context.js';
import { requireCollection, type CollectionContext } from './schema-context.js';
import { MAX_TRANSACTION_OPERATIONS, requirePendingTransaction, toTransactionModel } from './transactions.js';
import { normaliseOperation, runOperation, type Written } from './transactions-operations.js';

/** Collections by `databaseId/collectionId`, loaded once per request. */
export type ContextCache = Map<string, CollectionContext>;

export async function contextOf(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, cache: ContextCache, operation: StagedOperation): Promise<CollectionContext> {
  const key = `${operation.databaseId}/${operation.collectionId}`;
  let context = cache.get(key);
  if (!context) {
    context = await requireCollection(deps, projectId, api, { databaseId: operation.databaseId, collectionId: operation.collectionId }, caller.actsForProject);
    cache.set(key, context);
  }
  return context;
}

/** One relationship scope per database, so the collections met across relationships load once per request. */
export function scopeOf(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  scopes: Map<string, RelationScope>,
  context: CollectionContext,
): RelationScope {
  let scope = scopes.get(context.database.id);
  if (!scope) {
    scope = relationScope(deps, projectId, api, caller, context);
    scopes.set(context.database.id, scope);
  } else if (!scope.collections.has(context.collection.seq)) {
    scope.collections.set(context.collection.seq, Promise.resolve(context));
  }
  return scope;
}

/**
 * Checks the operations against the schema, the stored documents and the caller's
 * permissions, then stages them in the transaction. Nothing is applied before the commit.
 * Answers what each operation would write, for the answer of a write route.
 */
export async function stageOperations(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  transactionId: string,
  inputs: readonly StagedOperation[],
): Promise<{ transaction: Model; written: { context: CollectionContext; written: Written[] }[] }> {
  if (inputs.length === 0) throw new AppError('general_bad_request', 'The operations array cannot be empty.');
  const transaction = await requirePendingTransaction(deps, projectId, caller, transactionId);
  if (transaction.operations + inputs.length > MAX_TRANSACTION_OPERATIONS) throw limitExceeded(transaction.operations, inputs.length);
  const db = deps.db.project(projectId);
  // Documents created earlier in the transaction count as present for later operations.
  const staged = new Set<string>();
  const cache: ContextCache = new Map();
  const scopes = new Map<string, RelationScope>();
  for (const earlier of await listOperations(db, transaction.seq)) {
    rememberCreated(staged, earlier);
    await rememberNested(deps, projectId, api, caller, cache, scopes, staged, earlier);
  }

  const now = nowDateTime();
  const operations: StagedOperation[] = [];
  const written: { context: CollectionContext; written: Written[] }[] = [];
  for (const input of inputs) {
    const operation = normaliseOperation(api, caller, input);
    const context = await contextOf(deps, projectId, api, caller, cache, operation);
    const prefix = `${operation.databaseId}/${operation.collectionId}/`;
    const ids = new Set([...staged].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)));
    const relations = scopeOf(deps, projectId, api, caller, scopes, context);
    const run = { db, dialect: deps.db.dialect, api, caller, context, now, check: true, staged: ids, relations, stagedKeys: staged };
    written.push({ context, written: await runOperation(run, operation) });
    operations.push(operation);
    rememberCreated(staged, operation);
  }
  if (!(await appendOperations(db, transaction.seq, operations, MAX_TRANSACTION_OPERATIONS, now))) {
    // Another request ended the transaction or filled it meanwhile.
    const latest = await requirePendingTransaction(deps, projectId, caller, transactionId);
    throw limitExceeded(latest.operations, inputs.length);
  }
  return { transaction: toTransactionModel((await findTransaction(db, transactionId))!), written };
}

/**
 * Stages one write from a write route: answers what the route would answer (the document,
 * or the list of documents of a bulk write), though nothing is written before the commit.
 */
export async function stageWrite(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  transactionId: string,
  operation: StagedOperation,
): Promise<Model> {
  const { written } = await stageOperations(deps, projectId, api, caller, transactionId, [operation]);
  const { context, written: rows } = written[0]!;
  const ids = { databaseId: operation.databaseId, collectionId: operation.collectionId };
  const models = rows.map(({ row }) => toDocumentModel(api, ids, context.attributes, row));
  if (operation.action.startsWith('bulk')) return { total: models.length, [api.items]: models };
  return models[0] ?? {};
}

/** Nested documents an earlier staged write creates count as present too. */
async function rememberNested(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  cache: ContextCache,
  scopes: Map<string, RelationScope>,
  staged: Set<string>,
  operation: StagedOperation,
): Promise<void> {
  if (!['create', 'upsert', 'update'].includes(operation.action) || typeof operation.data !== 'object' || operation.data === null) return;
  let context: CollectionContext;
  try {
    context = await contextOf(deps, projectId, api, caller, cache, operation);
  } catch {
    return; // A collection gone since: the commit will say so.
  }
  if (!context.attributes.some(isRelationship)) return;
  await addNestedIds(scopeOf(deps, projectId, api, caller, scopes, context), context, operation.data as Record<string, unknown>, staged);
}

function rememberCreated(staged: Set<string>, operation: StagedOperation): void {
  const prefix = `${operation.databaseId}/${operation.collectionId}/`;
  if ((operation.action === 'create' || operation.action === 'upsert') && operation.documentId) staged.add(prefix + operation.documentId);
  if ((operation.action === 'bulkCreate' || operation.action === 'bulkUpsert') && Array.isArray(operation.data)) {
    for (const item of operation.data as { $id?: unknown }[]) if (typeof item.$id === 'string') staged.add(prefix + item.$id);
  }
}

function limitExceeded(existing: number, adding: number): AppError {
  return new AppError(
    'transaction_limit_exceeded',
    `The transaction already has ${existing} operations; adding ${adding} would pass the maximum of ${MAX_TRANSACTION_OPERATIONS}.`,
  );
}
