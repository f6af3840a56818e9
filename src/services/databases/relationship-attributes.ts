import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import {
  insertRelationshipRows,
  isRelationship,
  relationshipRows,
  updateRelationshipRow,
  type RelationOnDelete,
  type RelationType,
  type StoredRelationship,
} from '../../data/documents/relationship-store.js';
import { findCollection } from '../../data/documents/schema-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { commitWithEvents } from '../event-outbox.js';
import { databaseEvent } from './events.js';
import type { Model } from './models.js';
import { toRelationshipModel } from './relationship-models.js';
import { enqueueSchemaJob } from './schema-jobs.js';
import { metadata, requireCollection } from './schema-context.js';

export const RELATION_TYPES = ['oneToOne', 'manyToOne', 'manyToMany', 'oneToMany'] as const;
export const RELATION_ON_DELETE = ['cascade', 'restrict', 'setNull'] as const;

type Ids = { databaseId: string; collectionId: string };

export interface RelationshipInput {
  relatedCollectionId: string;
  type: RelationType;
  twoWay?: boolean;
  key?: string;
  twoWayKey?: string;
  onDelete?: RelationOnDelete;
}

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

function checkKey(param: string, key: string): void {
  if (!KEY.test(key)) {
    throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char`);
  }
}

/**
 * Records the relationship (and, two-way, its twin on the related collection) as
 * `processing` and queues its column or junction table; answers before the DDL runs.
 */
export async function createRelationshipAttribute(deps: ServiceDeps, projectId: string, api: ApiNames, ids: Ids, input: RelationshipInput): Promise<Model> {
  const context = await requireCollection(deps, projectId, api, ids);
  const store = metadata(deps, projectId);
  const related = await findCollection(store, context.database.seq, input.relatedCollectionId);
  if (!related) throw apiError(api, 'collection_not_found', { params: [input.relatedCollectionId] });
  const key = input.key ?? related.id;
  const twoWayKey = input.twoWayKey ?? context.collection.id;
  checkKey('key', key);
  checkKey('twoWayKey', twoWayKey);
  const twoWay = input.twoWay === true;
  const alreadyExists = (name: string) => apiError(api, 'attribute_already_exists', { params: [name] });
  if (twoWay && related.seq === context.collection.seq && key === twoWayKey) throw alreadyExists(twoWayKey);
  // As Appwrite: one relationship per (related collection, two-way key), so the twin's key stays free.
  for (const attribute of context.attributes) {
    if (isRelationship(attribute) && attribute.related_collection_seq === related.seq && attribute.two_way_key === twoWayKey) throw alreadyExists(twoWayKey);
  }
  const now = nowDateTime();
  const common = {
    type: 'relationship',
    format: '',
    status: 'processing',
    error: '',
    required: 0,
    array: 0,
    size: null,
    min: null,
    max: null,
    default_value: null,
    elements: null,
    encrypt: 0,
    bigint_min: null,
    bigint_max: null,
    created_at: now,
    updated_at: now,
    relation_type: input.type,
    two_way: twoWay ? 1 : 0,
    on_delete: input.onDelete ?? 'restrict',
  } as const;
  // Both `processing` rows commit with their events; the job is queued once they are there to find.
  const rows = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const inserted = await insertRelationshipRows(
      trx,
      { ...common, collection_seq: context.collection.seq, key, related_collection_seq: related.seq, related_collection: related.id, two_way_key: twoWayKey, side: 'parent' },
      twoWay
        ? { ...common, collection_seq: related.seq, key: twoWayKey, related_collection_seq: context.collection.seq, related_collection: context.collection.id, two_way_key: key, side: 'child' }
        : undefined,
    );
    if (inserted === 'exists') throw alreadyExists(key);
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'attributes', id: key }, action: 'create', payload: toRelationshipModel(inserted.parent, api), readableBy: [] }));
    if (inserted.child) {
      emit(
        databaseEvent(projectId, {
          databaseId: ids.databaseId,
          collectionId: related.id,
          child: { kind: 'attributes', id: twoWayKey },
          action: 'create',
          payload: toRelationshipModel(inserted.child, api),
          readableBy: [],
        }),
      );
    }
    return inserted;
  });
  await enqueueSchemaJob(deps, projectId, { action: 'createAttribute', seq: rows.parent.seq });
  return toRelationshipModel(rows.parent, api);
}

/** Changes onDelete (on both sides) and/or the key (the twin learns its new twoWayKey). */
export async function updateRelationshipAttribute(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  key: string,
  input: { onDelete?: RelationOnDelete | null; newKey?: string | null },
): Promise<Model> {
  const context = await requireCollection(deps, projectId, api, ids);
  const attribute = context.attributes.find((a) => a.key === key);
  if (!attribute) throw apiError(api, 'attribute_not_found', { params: [key] });
  if (!isRelationship(attribute)) throw apiError(api, 'attribute_type_invalid', { params: [key] });
  const newKey = input.newKey && input.newKey !== key ? input.newKey : undefined;
  if (newKey !== undefined) checkKey('newKey', newKey);
  const now = nowDateTime();
  const onDelete = input.onDelete ?? attribute.on_delete;
  // Both sides change together, with the event.
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateRelationshipRow(trx, attribute.seq, { key: newKey ?? key, on_delete: onDelete, updated_at: now });
    if (updated === 'exists') throw apiError(api, 'attribute_already_exists', { params: [newKey ?? key] });
    if (!updated) throw apiError(api, 'attribute_not_found', { params: [key] });
    for (const twin of await relationshipRows(trx, attribute.relation_seq)) {
      if (twin.seq === attribute.seq) continue;
      await updateRelationshipRow(trx, twin.seq, { on_delete: onDelete, two_way_key: newKey ?? key, updated_at: now });
    }
    const model = toRelationshipModel(updated, api);
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'attributes', id: updated.key }, action: 'update', payload: model, readableBy: [] }));
    return model;
  });
}

/** Marks both sides `deleting` and queues dropping the relationship's column or junction table. */
export async function deleteRelationshipAttribute(deps: ServiceDeps, projectId: string, api: ApiNames, ids: Ids, attribute: StoredRelationship): Promise<void> {
  const now = nowDateTime();
  const model = toRelationshipModel({ ...attribute, status: 'deleting' }, api);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    for (const row of await relationshipRows(trx, attribute.relation_seq)) {
      await updateRelationshipRow(trx, row.seq, { status: 'deleting', updated_at: now });
    }
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'attributes', id: attribute.key }, action: 'delete', payload: model, readableBy: [] }));
  });
  await enqueueSchemaJob(deps, projectId, { action: 'deleteAttribute', seq: attribute.seq });
}
