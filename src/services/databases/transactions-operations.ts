import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import { adjustNumber } from '../../data/documents/document-counters.js';
import { deleteDocumentsIn, findDocumentsByIds, updateDocumentsIn } from '../../data/documents/document-bulk.js';
import { insertDocumentIn, listDocuments, updateDocumentIn, type NewDocument, type StoredDocument } from '../../data/documents/document-store.js';
import type { StagedOperation } from '../../data/documents/transaction-store.js';
import type { DialectCapabilities } from '../../data/dialects/capabilities.js';
import { apiError, type ApiNames } from './api-names.js';
import { counterChange } from './counter-change.js';
import { chosenId } from './databases.js';
import { bulkQueries, newDocument, prepareItem } from './document-bulk.js';
import { collectionAllows, documentAllows } from './document-access.js';
import { columnsFromData } from './document-data.js';
import { chosenDates } from './document-dates.js';
import { operatorValues } from './document-operators.js';
import { documentLayout } from './documents.js';
import { splitOperators } from './operators.js';
import { isRelationship } from '../../data/documents/relationship-store.js';
import { checkRelationWrites } from './relationship-checks.js';
import type { RelationScope } from './relationship-context.js';
import { deleteWithRelationshipsIn } from './relationship-deletes.js';
import { insertWithRelationshipsIn, takeRelationships, updateWithRelationshipsIn, type RelationalWrite } from './relationship-writes.js';
import type { Caller } from '../../core/caller.js';
import {
  assertGrantable,
  defaultDocumentPermissions,
  DOCUMENT_PERMISSION_TYPES,
  grantsOf,
  normalisePermissions,
} from '../../core/permissions.js';
import type { CollectionContext } from './schema-context.js';

export const SINGLE_ACTIONS = ['create', 'update', 'upsert', 'delete', 'increment', 'decrement'] as const;
export const BULK_ACTIONS = ['bulkCreate', 'bulkUpdate', 'bulkUpsert', 'bulkDelete'] as const;
export type Action = (typeof SINGLE_ACTIONS)[number] | (typeof BULK_ACTIONS)[number];

/** A document an operation wrote (or, checked only, would write). */
export interface Written {
  row: StoredDocument;
  action: 'create' | 'update' | 'delete';
  /** Set when the document may be of another collection than the operation's (one a relationship reached). */
  context?: CollectionContext;
}

/**
 * How an operation runs. `check` writes nothing: it validates as far as the stored state
 * allows, and treats documents in `staged` (created earlier in the same transaction) as
 * present. Otherwise `db` is the commit's own transaction and every write lands in it.
 */
export interface OperationRun {
  db: Kysely<any>;
  dialect: DialectCapabilities;
  api: ApiNames;
  caller: Caller;
  context: CollectionContext;
  now: string;
  check: boolean;
  staged: ReadonlySet<string>;
  /**
   * What relationship writes and onDelete rules work with. At commit its relation graph is
   * loaded before the transaction opens (SQLite cannot read metadata beside it).
   */
  relations: RelationScope;
  /** At staging: every document (`databaseId/collectionId/id`) created earlier in the transaction, nested ones too. */
  stagedKeys: Set<string>;
  /** At commit: when this operation was staged, and what earlier operations of the commit wrote (see assertUnchangedSinceStaged). */
  staging?: { at: string; written: ReadonlySet<string> };
}

/** How a commit names a document it wrote, across collections. */
export function writtenKey(collectionSeq: number, id: string): string {
  return `${collectionSeq}/${id}`;
}

/**
 * As Appwrite commits: a document changed after the operation on it was staged, other than
 * by an earlier operation of the same commit, fails the whole commit with a conflict, so a
 * transaction never overwrites or deletes a change it did not see.
 */
function assertUnchangedSinceStaged(run: OperationRun, row: StoredDocument): void {
  const { staging } = run;
  if (!staging || staging.written.has(writtenKey(run.context.collection.seq, row._uid))) return;
  if (Date.parse(row._updated_at) > Date.parse(staging.at)) throw new AppError('transaction_conflict');
}

type Data = Record<string, unknown>;

/** PHP encodes an empty map as `[]`, so its SDK sends `data: []` for an operation with no data. */
function emptyListAsMap(value: unknown): unknown {
  return Array.isArray(value) && value.length === 0 ? {} : value;
}


/**
 * Turns an operation as the API received it (from `createOperations` or a write route with
 * a transactionId) into its stored form: ids resolved, the permissions a create defaults to
 * fixed now, for the caller who staged it.
 */
export function normaliseOperation(api: ApiNames, caller: Caller, input: StagedOperation): StagedOperation {
  const action = input.action as Action;
  if (![...SINGLE_ACTIONS, ...BULK_ACTIONS].includes(action)) throw new AppError('general_argument_invalid', `Invalid operation action: ${String(input.action)}`);
  if (BULK_ACTIONS.includes(action as (typeof BULK_ACTIONS)[number])) {
    if (input.documentId) throw new AppError('general_argument_invalid', `Operation ${action} takes no ${api.itemParam}`);
    const data = action === 'bulkCreate' || action === 'bulkUpsert' ? input.data : emptyListAsMap(input.data);
    if (action === 'bulkCreate' || action === 'bulkUpsert') {
      if (!Array.isArray(data)) throw new AppError('general_argument_invalid', `Operation ${action} needs \`data\` as an array of ${api.items}`);
      // Each item's id is fixed now so that the commit writes what was staged.
      return { ...input, documentId: null, data: data.map((item) => ({ ...(item as Data), $id: prepareItem(api, item).id })) };
    }
    if (!isObject(data)) throw new AppError('general_argument_invalid', `Operation ${action} needs \`data\` as an object`);
    const queries = data.queries ?? [];
    if (!Array.isArray(queries) || queries.some((q) => typeof q !== 'string')) throw new AppError('general_argument_invalid', 'Invalid `queries`: must be an array of strings');
    const changes = emptyListAsMap(data.data);
    if (action === 'bulkUpdate' && changes !== undefined && !isObject(changes)) throw new AppError('general_argument_invalid', 'Invalid `data`: must be an object');
    return { ...input, documentId: null, data: action === 'bulkUpdate' ? { data: changes ?? {}, queries } : { queries } };
  }
  const data = emptyListAsMap(input.data ?? {});
  if (!isObject(data)) throw new AppError('general_argument_invalid', `Operation ${action} needs \`data\` as an object`);
  // The id may also travel inside the data, as `$id`.
  if (!input.documentId && typeof data.$id === 'string') input = { ...input, documentId: data.$id };
  if (typeof input.documentId !== 'string' || input.documentId === '') {
    throw new AppError('general_argument_invalid', `Operation ${action} needs a ${api.itemParam}`);
  }
  if (action === 'create') {
    const permissions = data.$permissions == null ? defaultDocumentPermissions(caller) : permissionsOf(data.$permissions);
    return { ...input, documentId: chosenId(input.documentId, api.itemParam), data: { ...data, $permissions: permissions } };
  }
  if (action === 'upsert' && data.$permissions == null && !caller.actsForProject) {
    // Should the upsert create, the document gets its creator's permissions, as a direct upsert does.
    return { ...input, documentId: chosenId(input.documentId, api.itemParam), data: { ...data, $defaultPermissions: defaultDocumentPermissions(caller) } };
  }
  return { ...input, documentId: action === 'upsert' ? chosenId(input.documentId, api.itemParam) : input.documentId, data };
}

/** Runs (or checks) one operation; answers what it wrote, in order. */
export async function runOperation(run: OperationRun, operation: StagedOperation): Promise<Written[]> {
  const action = operation.action as Action;
  if (BULK_ACTIONS.includes(action as (typeof BULK_ACTIONS)[number])) {
    // As the bulk routes: related documents and onDelete rules are handled per document only.
    if (run.context.attributes.some(isRelationship)) throw new AppError('general_bad_request', 'Bulk operations are not supported for collections with relationship attributes.');
    return runBulk(run, action, operation.data as Data | Data[]);
  }
  const id = operation.documentId!;
  const data = (operation.data ?? {}) as Data;
  const current = await currentDocument(run, id);
  const known = current !== undefined || (run.check && run.staged.has(id));
  switch (action) {
    case 'create':
      return create(run, id, data);
    case 'upsert':
      if (!known) return create(run, id, { ...data, $permissions: data.$permissions ?? data.$defaultPermissions ?? [] });
      return update(run, id, current, data);
    case 'update':
      requireKnown(run, id, known);
      return update(run, id, current, data);
    case 'delete':
      requireKnown(run, id, known);
      if (current && !documentAllows(run.caller, run.context.collection, current, 'delete')) throw new AppError('user_unauthorized');
      if (current) assertUnchangedSinceStaged(run, current);
      if (!current || run.check) return current ? [{ row: current, action: 'delete' }] : [];
      // onDelete rules apply (restrict refuses the whole commit); what cascades or is let go is of other collections at times.
      return (await deleteWithRelationshipsIn(run.db, run.relations, run.context, current)).map(({ context, row, action }) => ({ row, action, context }));
    default:
      requireKnown(run, id, known);
      return [await adjust(run, id, current, action === 'increment', data)];
  }
}

function requireKnown(run: OperationRun, id: string, known: boolean): void {
  if (!known) throw apiError(run.api, 'document_not_found', { params: [id] });
}

/** The stored document, locked for the commit on engines with row locks; one the caller may not read is absent. */
async function currentDocument(run: OperationRun, id: string): Promise<StoredDocument | undefined> {
  const [row] = await findDocumentsByIds(run.db, run.context.collection.seq, [id], !run.check && run.dialect.skipLocked);
  if (!row || !documentAllows(run.caller, run.context.collection, row, 'read')) return undefined;
  return row;
}

/** The document first, then what its relationships created or changed. */
async function create(run: OperationRun, id: string, data: Data): Promise<Written[]> {
  const { api, caller, context } = run;
  if (!collectionAllows(caller, context.collection, 'create')) throw new AppError('user_unauthorized');
  const permissions = permissionsOf(data.$permissions ?? []);
  assertGrantable(caller, permissions);
  const relations = takeRelationships(run.relations, context, data);
  const { plain, operators } = splitOperators(relations.data);
  const values = columnsFromData(api, context.attributes, { ...plain, ...operatorValues(api, context.attributes, operators) }, 'create');
  const dates = chosenDates(api, caller.actsForProject, data);
  const doc: NewDocument = {
    id,
    createdAt: dates.createdAt ?? run.now,
    updatedAt: dates.updatedAt ?? run.now,
    permissions,
    grants: grantsOf(permissions),
    values,
  };
  if (run.check) {
    await checkRelationWrites(run.db, run.relations, relations.writes, run.stagedKeys);
    return [{ row: draftRow(doc), action: 'create' }];
  }
  if (relations.writes.length > 0) return withRelated(await insertWithRelationshipsIn(run.db, run.relations, context, doc, relations.writes), 'create');
  return [{ row: await insertDocumentIn(run.db, context.collection.seq, doc), action: 'create' }];
}

async function update(run: OperationRun, id: string, current: StoredDocument | undefined, data: Data): Promise<Written[]> {
  const { api, caller, context } = run;
  if (current && !documentAllows(caller, context.collection, current, 'update')) throw new AppError('user_unauthorized');
  if (current) assertUnchangedSinceStaged(run, current);
  const permissions = data.$permissions == null ? undefined : permissionsOf(data.$permissions);
  if (permissions) assertGrantable(caller, permissions);
  const dates = chosenDates(api, caller.actsForProject, data);
  const relations = takeRelationships(run.relations, context, stripOwn(data));
  const { plain, operators } = splitOperators(relations.data);
  const values = columnsFromData(api, context.attributes, { ...plain, ...operatorValues(api, context.attributes, operators, current) }, 'update');
  const change = {
    values,
    updatedAt: dates.updatedAt ?? run.now,
    ...(dates.createdAt ? { createdAt: dates.createdAt } : {}),
    ...(permissions ? { permissions, grants: grantsOf(permissions) } : {}),
  };
  if (run.check || !current) {
    if (run.check) await checkRelationWrites(run.db, run.relations, relations.writes, run.stagedKeys);
    const base = current ?? draftRow({ id, createdAt: run.now, updatedAt: run.now, permissions: [], grants: [], values: {} });
    return [{ row: { ...base, ...values, _updated_at: change.updatedAt, ...(permissions ? { _permissions: JSON.stringify(permissions) } : {}) }, action: 'update' }];
  }
  if (relations.writes.length > 0) {
    const written = await updateWithRelationshipsIn(run.db, run.relations, context, current._seq, () => change, relations.writes);
    if (!written) throw apiError(api, 'document_not_found', { params: [id] });
    return withRelated(written, 'update');
  }
  return [{ row: await updateDocumentIn(run.db, context.collection.seq, current._seq, change), action: 'update' }];
}

/** increment/decrement: `data` holds the attribute (or column), `value`, and `max` or `min`. */
async function adjust(run: OperationRun, id: string, current: StoredDocument | undefined, up: boolean, data: Data): Promise<Written> {
  const { api, caller, context } = run;
  const key = String(data.attribute ?? data.column ?? '');
  const attribute = context.attributes.find((a) => a.key === key);
  if (!attribute || attribute.status === 'failed') throw apiError(api, 'attribute_not_found', { params: [key] });
  if (attribute.status !== 'available') throw apiError(api, 'attribute_not_available', { params: [key] });
  const { adjustment, limit } = counterChange(api, attribute, { up, value: data.value, bound: up ? data.max : data.min, updatedAt: run.now });
  if (current && !documentAllows(caller, context.collection, current, 'update')) throw new AppError('user_unauthorized');
  if (current) assertUnchangedSinceStaged(run, current);
  if (run.check || !current) return { row: current ?? draftRow({ id, createdAt: run.now, updatedAt: run.now, permissions: [], grants: [], values: {} }), action: 'update' };

  const row = await adjustNumber(run.db, context.collection.seq, current._seq, adjustment);
  if (!row) {
    throw apiError(api, 'attribute_limit_exceeded', {
      params: [context.collection.id],
      message: `Attribute "${key}" has reached the ${up ? 'maximum' : 'minimum'} value of ${limit}`,
    });
  }
  return { row, action: 'update' };
}

/** Bulk operations are for API keys, as their routes are. */
async function runBulk(run: OperationRun, action: Action, data: Data | Data[]): Promise<Written[]> {
  const { api, context } = run;
  if (!run.caller.actsForProject) throw new AppError('user_unauthorized', 'Bulk operations are only available to API keys.');
  if (action === 'bulkCreate' || action === 'bulkUpsert') {
    const written: Written[] = [];
    for (const item of data as Data[]) {
      const prepared = prepareItem(api, item);
      const [existing] = action === 'bulkUpsert' ? await findDocumentsByIds(run.db, context.collection.seq, [prepared.id], !run.check && run.dialect.skipLocked) : [];
      if (existing) written.push(...(await update(run, prepared.id, existing, item)));
      else if (run.check) written.push({ row: draftRow(newDocument(api, context, prepared, run.now)), action: 'create' });
      else written.push({ row: await insertDocumentIn(run.db, context.collection.seq, newDocument(api, context, prepared, run.now)), action: 'create' });
    }
    return written;
  }
  const { queries, data: changes } = data as { queries: string[]; data?: Data };
  const list = bulkQueries(context, queries);
  if (action === 'bulkUpdate') {
    // Checked up front: the data is valid for this collection whatever the queries match.
    columnsFromData(api, context.attributes, splitOperators(changes ?? {}).plain, 'update');
  }
  if (run.check) return [];
  const matched = await listDocuments(run.db, run.dialect, documentLayout(context), list, { total: false });
  for (const row of matched.rows) assertUnchangedSinceStaged(run, row);
  if (action === 'bulkDelete') {
    await deleteDocumentsIn(run.db, context.collection.seq, matched.rows.map((row) => row._seq));
    return matched.rows.map((row) => ({ row, action: 'delete' }));
  }
  const written: Written[] = [];
  const { plain, operators } = splitOperators(changes ?? {});
  if (operators.size === 0) {
    const values = columnsFromData(api, context.attributes, plain, 'update');
    const dates = chosenDates(api, true, plain);
    const change = { values, updatedAt: dates.updatedAt ?? run.now, ...(dates.createdAt ? { createdAt: dates.createdAt } : {}) };
    const updated = await updateDocumentsIn(run.db, context.collection.seq, matched.rows.map((row) => row._seq), change);
    const bySeq = new Map(updated.map((row) => [row._seq, row]));
    return matched.rows.map((row) => ({ row: bySeq.get(row._seq)!, action: 'update' }));
  }
  for (const row of matched.rows) written.push(...(await update(run, row._uid, row, changes ?? {})));
  return written;
}

function withRelated(written: RelationalWrite, action: 'create' | 'update'): Written[] {
  return [{ row: written.row, action }, ...written.related];
}

/** A row as it would be stored, for checks and for the answers of staged writes. */
function draftRow(doc: NewDocument): StoredDocument {
  return { ...doc.values, _seq: 0, _uid: doc.id, _created_at: doc.createdAt, _updated_at: doc.updatedAt, _permissions: JSON.stringify(doc.permissions) };
}

function permissionsOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string')) throw new AppError('general_argument_invalid', 'Invalid `permissions` param: must be an array of strings');
  return normalisePermissions(value as string[], DOCUMENT_PERMISSION_TYPES);
}

/** Keys only the staging itself adds never reach the document. */
function stripOwn(data: Data): Data {
  const { $defaultPermissions: _ignored, ...rest } = data;
  return rest;
}

function isObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
