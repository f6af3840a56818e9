import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { parseListQueries } from '../../core/queries.js';
import type { Kysely } from 'kysely';
import { deleteDocumentsIn, findDocumentsByIds, updateDocumentsIn } from '../../data/documents/document-bulk.js';
import { insertDocumentIn, listDocuments, updateDocumentIn, type StoredDocument } from '../../data/documents/document-store.js';
import { isRelationship } from '../../data/documents/relationship-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { chosenId } from './databases.js';
import { columnsFromData } from './document-data.js';
import { chosenDates } from './document-dates.js';
import { documentLayout } from './documents.js';
import { uniqueOrExists } from '../../data/duplicates.js';
import { commitWithEvents } from '../event-outbox.js';
import { emitWrites } from './document-events.js';
import { invalidateLists } from './list-cache.js';
import { operatorValues } from './document-operators.js';
import { splitOperators } from './operators.js';
import type { Model } from './models.js';
import { DOCUMENT_PERMISSION_TYPES, grantsOf, normalisePermissions } from '../../core/permissions.js';
import type { Caller } from '../../core/caller.js';
import { requireCollection, type CollectionContext } from './schema-context.js';

type Ids = { databaseId: string; collectionId: string };
type Written = { row: StoredDocument; action: 'create' | 'update' | 'delete' };

/** Bulk writes act on every match unless the queries set a limit. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** Creates many documents in one transaction: all of them, or none when one fails. */
export async function createDocuments(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, ids: Ids, items: unknown[]): Promise<Model> {
  const context = await bulkContext(deps, projectId, api, caller, ids, 'create');
  const prepared = items.map((item) => prepareItem(api, item));
  assertDistinct(api, prepared.map((p) => p.id));
  const now = nowDateTime();
  return runBulk(deps, projectId, api, ids, context, prepared.map((p) => p.id), async (trx) => {
    const rows: Written[] = [];
    for (const item of prepared) rows.push({ row: await insertDocumentIn(trx, context.collection.seq, newDocument(api, context, item, now)), action: 'create' });
    return rows;
  });
}

/** Creates the documents whose ids are free and partially updates the others, in one transaction. */
export async function upsertDocuments(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, ids: Ids, items: unknown[]): Promise<Model> {
  const context = await bulkContext(deps, projectId, api, caller, ids, 'upsert');
  const prepared = items.map((item) => prepareItem(api, item));
  assertDistinct(api, prepared.map((p) => p.id));
  const now = nowDateTime();
  return runBulk(deps, projectId, api, ids, context, prepared.map((p) => p.id), async (trx) => {
    const existing = new Map((await findDocumentsByIds(trx, context.collection.seq, prepared.map((p) => p.id), deps.db.dialect.skipLocked)).map((row) => [row._uid, row]));
    const rows: Written[] = [];
    for (const item of prepared) {
      const current = existing.get(item.id);
      if (!current) {
        rows.push({ row: await insertDocumentIn(trx, context.collection.seq, newDocument(api, context, item, now)), action: 'create' });
        continue;
      }
      const row = await updateDocumentIn(trx, context.collection.seq, current._seq, {
        values: columnsFromData(api, context.attributes, withOperators(api, context, item.data, current), 'update'),
        updatedAt: item.dates.updatedAt ?? now,
        ...(item.dates.createdAt ? { createdAt: item.dates.createdAt } : {}),
        ...(item.permissions ? { permissions: item.permissions, grants: grantsOf(item.permissions) } : {}),
      });
      rows.push({ row, action: 'update' });
    }
    return rows;
  });
}

/** Sets the same data on every document the queries match, in one transaction. */
export async function updateDocumentsByQuery(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids,
  input: { data: Record<string, unknown>; queries: string[] },
): Promise<Model> {
  const context = await bulkContext(deps, projectId, api, caller, ids, 'update');
  const list = bulkQueries(context, input.queries);
  const { plain, operators } = splitOperators(input.data);
  const values = columnsFromData(api, context.attributes, plain, 'update');
  const dates = chosenDates(api, true, input.data);
  return runBulk(deps, projectId, api, ids, context, [], async (trx) => {
    const matched = await listDocuments(trx, deps.db.dialect, documentLayout(context), list, { total: false });
    const change = { values, updatedAt: dates.updatedAt ?? nowDateTime(), ...(dates.createdAt ? { createdAt: dates.createdAt } : {}) };
    if (operators.size > 0) {
      // Operators give each document its own values: one statement per document.
      const rows: Written[] = [];
      for (const row of matched.rows) {
        const own = columnsFromData(api, context.attributes, operatorValues(api, context.attributes, operators, row), 'update');
        rows.push({ row: await updateDocumentIn(trx, context.collection.seq, row._seq, { ...change, values: { ...values, ...own } }), action: 'update' });
      }
      return rows;
    }
    const updated = await updateDocumentsIn(trx, context.collection.seq, matched.rows.map((row) => row._seq), change);
    // RETURNING comes back in no set order; answer in the order the queries asked for.
    const bySeq = new Map(updated.map((row) => [row._seq, row]));
    return matched.rows.map((row): Written => ({ row: bySeq.get(row._seq)!, action: 'update' }));
  });
}

/** Deletes every document the queries match, in one transaction; answers with what was removed. */
export async function deleteDocumentsByQuery(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, ids: Ids, queries: string[]): Promise<Model> {
  const context = await bulkContext(deps, projectId, api, caller, ids, 'delete');
  const list = bulkQueries(context, queries);
  return runBulk(deps, projectId, api, ids, context, [], async (trx) => {
    const matched = await listDocuments(trx, deps.db.dialect, documentLayout(context), list, { total: false });
    await deleteDocumentsIn(trx, context.collection.seq, matched.rows.map((row) => row._seq));
    return matched.rows.map((row): Written => ({ row, action: 'delete' }));
  });
}

/** Bulk routes are for API keys only, as the spec's auth says. */
async function bulkContext(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: Ids,
  operation: 'create' | 'upsert' | 'update' | 'delete',
): Promise<CollectionContext> {
  if (!caller.actsForProject) throw new AppError('general_unauthorized_scope', 'Bulk operations are only available to API keys.');
  const context = await requireCollection(deps, projectId, api, ids, true);
  // As Appwrite: related documents and onDelete rules are handled per document only. Its words
  // name the API; a bulk create alone says columns on TablesDB.
  if (context.attributes.some(isRelationship)) {
    const tables = api.kind === 'tablesdb';
    const what = operation === 'create' && tables ? 'columns' : 'attributes';
    throw new AppError('general_bad_request', `Bulk ${operation} is not supported for ${tables ? 'tablesDB' : 'databases'} with relationship ${what}`);
  }
  return context;
}

export function bulkQueries(context: CollectionContext, queries: string[]) {
  const keys = context.attributes.filter((a) => a.status === 'available').map((a) => a.key);
  return parseListQueries(queries, { attributes: [...keys, '$sequence'], documents: true, defaultLimit: UNLIMITED });
}

export interface PreparedItem {
  id: string;
  permissions?: string[];
  dates: ReturnType<typeof chosenDates>;
  data: Record<string, unknown>;
}

/** One entry of a `documents`/`rows` array: `$id`, `$permissions`, dates, then attributes. */
export function prepareItem(api: ApiNames, item: unknown): PreparedItem {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw apiError(api, 'document_invalid_structure', { message: `Invalid document structure: each of \`${api.items}\` must be an object` });
  }
  const data = item as Record<string, unknown>;
  const rawId = data.$id;
  if (rawId !== undefined && typeof rawId !== 'string') throw new AppError('general_argument_invalid', `Invalid \`${api.itemParam}\`: must be a string`);
  const rawPermissions = data.$permissions;
  if (rawPermissions != null && (!Array.isArray(rawPermissions) || rawPermissions.some((p) => typeof p !== 'string'))) {
    throw new AppError('general_argument_invalid', 'Invalid `permissions` param: must be an array of strings');
  }
  return {
    id: chosenId(rawId ?? 'unique()', api.itemParam),
    ...(rawPermissions != null ? { permissions: normalisePermissions(rawPermissions as string[], DOCUMENT_PERMISSION_TYPES) } : {}),
    dates: chosenDates(api, true, data),
    data,
  };
}

export function newDocument(api: ApiNames, context: CollectionContext, item: PreparedItem, now: string) {
  const permissions = item.permissions ?? [];
  return {
    id: item.id,
    createdAt: item.dates.createdAt ?? now,
    updatedAt: item.dates.updatedAt ?? now,
    permissions,
    grants: grantsOf(permissions),
    values: columnsFromData(api, context.attributes, withOperators(api, context, item.data), 'create'),
  };
}

/** Item data with its operators resolved against the stored document (or nothing, on create). */
function withOperators(api: ApiNames, context: CollectionContext, data: Record<string, unknown>, stored?: StoredDocument): Record<string, unknown> {
  const { plain, operators } = splitOperators(data);
  return { ...plain, ...operatorValues(api, context.attributes, operators, stored) };
}

function assertDistinct(api: ApiNames, ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw apiError(api, 'document_already_exists', { params: [id] });
    seen.add(id);
  }
}

/**
 * Runs the writes in one transaction with the event of each written document, and answers
 * the list of their models. A unique clash rolls it all back and names the first id
 * already taken (or the first id written).
 */
async function runBulk(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  context: CollectionContext,
  itemIds: readonly string[],
  work: (trx: Kysely<any>) => Promise<Written[]>,
): Promise<Model> {
  const models = await uniqueOrExists(() =>
    commitWithEvents(deps, projectId, async (trx, emit) => {
      const written = await work(trx);
      return emitWrites(emit, projectId, api, ids.databaseId, written.map(({ row, action }) => ({ context, row, action })));
    }),
  );
  if (models === 'exists') {
    const taken = await findDocumentsByIds(deps.db.project(projectId), context.collection.seq, itemIds);
    throw apiError(api, 'document_already_exists', { params: [taken[0]?._uid ?? itemIds[0] ?? ''] });
  }
  invalidateLists(deps, projectId, context.collection.seq);
  return { total: models.length, [api.items]: models };
}
