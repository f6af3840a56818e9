import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { parseListQueries } from '../../core/queries.js';
import { SYSTEM_COLUMNS } from '../../data/documents/naming.js';
import { insertIndex, listIndexRows, SCHEMA_QUERY_ATTRIBUTES, schemaStore, updateIndex, type StoredIndex } from '../../data/documents/schema-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { commitWithEvents } from '../event-outbox.js';
import { databaseEvent } from './events.js';
import { toIndexModel, type Model } from './models.js';
import { metadata, requireCollection, type CollectionContext } from './schema-context.js';
import { enqueueSchemaJob } from './schema-jobs.js';
import { checkIndexLengths } from './index-lengths.js';
import { checkSpatialIndex } from './spatial-indexes.js';

type Ids = { databaseId: string; collectionId: string };

export const INDEX_TYPES = ['key', 'unique', 'fulltext', 'spatial'] as const;

export interface IndexInput {
  key: string;
  type: (typeof INDEX_TYPES)[number];
  attributes: string[];
  orders?: string[];
  lengths?: (number | null)[];
}

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

/** Records the index as `processing` and queues its creation. */
export async function createIndex(deps: ServiceDeps, projectId: string, api: ApiNames, ids: Ids, input: IndexInput): Promise<Model> {
  const context = await requireCollection(deps, projectId, api, ids);
  if (!KEY.test(input.key)) throw new AppError('general_argument_invalid', 'Invalid `key` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char');
  checkIndexAttributes(api, context, input);
  const orders = input.attributes.map((_, i) => input.orders?.[i]?.toUpperCase() ?? null);
  // As Appwrite does, a zero length means none.
  const lengths = input.attributes.map((_, i) => input.lengths?.[i] || null);
  const now = nowDateTime();
  // The `processing` row commits with its event; the job that builds the index is queued once it is there to find.
  const row = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const inserted = await insertIndex(schemaStore(trx), {
      collection_seq: context.collection.seq,
      key: input.key,
      type: input.type,
      status: 'processing',
      error: '',
      attributes: JSON.stringify(input.attributes),
      orders: JSON.stringify(orders),
      lengths: JSON.stringify(lengths),
      created_at: now,
      updated_at: now,
    });
    if (inserted === 'exists') throw apiError(api, 'index_already_exists', { params: [input.key] });
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'indexes', id: input.key }, action: 'create', payload: toIndexModel(api, inserted), readableBy: [] }));
    return inserted;
  });
  await enqueueSchemaJob(deps, projectId, { action: 'createIndex', seq: row.seq });
  return toIndexModel(api, row);
}

/** Appwrite's checks, in its order: each attribute as found, then the index as a whole. */
function checkIndexAttributes(api: ApiNames, context: CollectionContext, input: IndexInput): void {
  if (input.orders && input.orders.some((order) => !['ASC', 'DESC'].includes(order.toUpperCase()))) {
    throw apiError(api, 'index_invalid', { message: 'Orders must be ASC or DESC' });
  }
  for (const key of input.attributes) {
    if (Object.hasOwn(SYSTEM_COLUMNS, key)) {
      if (input.type === 'fulltext' || input.type === 'spatial') throw apiError(api, 'index_invalid', { message: `${input.type === 'spatial' ? 'Spatial' : 'Fulltext'} indexes cannot cover system attributes` });
      continue;
    }
    const attribute = context.attributes.find((a) => a.key === key);
    if (!attribute || attribute.status === 'failed' || attribute.status === 'deleting') throw apiError(api, 'attribute_unknown', { params: [key] });
    if (attribute.type === 'relationship') throw apiError(api, 'attribute_type_invalid', { message: `Cannot create an index for a relationship attribute: ${key}` });
    if (attribute.status !== 'available') throw apiError(api, 'attribute_not_available', { params: [key] });
    if (attribute.array === 1) throw apiError(api, 'index_invalid', { message: 'Creating indexes on array attributes is not currently supported.' });
    if (attribute.encrypt === 1) throw apiError(api, 'index_invalid', { message: `Cannot create an index for an encrypted attribute: ${key}` });
  }
  if (input.attributes.length === 0) throw apiError(api, 'index_invalid', { message: 'No attributes provided for index' });
  if (new Set(input.attributes.map((key) => key.toLowerCase())).size !== input.attributes.length) {
    throw apiError(api, 'index_invalid', { message: 'Duplicate attributes provided' });
  }
  if (input.type === 'fulltext') {
    const other = input.attributes.find((key) => context.attributes.find((a) => a.key === key)?.type !== 'string');
    if (other !== undefined) throw apiError(api, 'index_invalid', { message: `Attribute "${other}" cannot be part of a fulltext index, must be of type string` });
  }
  checkIndexLengths(api, input, context.attributes);
  checkSpatialIndex(api, input, context.attributes);
}

export function requireIndex(api: ApiNames, context: CollectionContext, key: string): StoredIndex {
  const index = context.indexes.find((i) => i.key === key);
  if (!index) throw apiError(api, 'index_not_found', { params: [key] });
  return index;
}

export async function listIndexes(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  input: { queries: string[]; total: boolean },
): Promise<Record<string, unknown>> {
  const { collection } = await requireCollection(deps, projectId, api, ids);
  const list = parseListQueries(input.queries, { attributes: SCHEMA_QUERY_ATTRIBUTES.indexes, noSelect: true });
  const page = await listIndexRows(metadata(deps, projectId), collection.seq, list, input.total);
  return { total: page.total, indexes: page.rows.map((row) => toIndexModel(api, row)) };
}

export async function getIndex(deps: ServiceDeps, projectId: string, api: ApiNames, ids: Ids, key: string): Promise<Model> {
  return toIndexModel(api, requireIndex(api, await requireCollection(deps, projectId, api, ids), key));
}

/** Marks the index `deleting` and queues dropping it. */
export async function deleteIndex(deps: ServiceDeps, projectId: string, api: ApiNames, ids: Ids, key: string): Promise<void> {
  const index = requireIndex(api, await requireCollection(deps, projectId, api, ids), key);
  const model = toIndexModel(api, { ...index, status: 'deleting' });
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await updateIndex(schemaStore(trx), index.seq, { status: 'deleting', updated_at: nowDateTime() });
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'indexes', id: key }, action: 'delete', payload: model, readableBy: [] }));
  });
  await enqueueSchemaJob(deps, projectId, { action: 'deleteIndex', seq: index.seq });
}
