import type { StoredDocument } from '../../data/documents/document-store.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import type { StoredAttribute, StoredCollection, StoredDatabase, StoredIndex } from '../../data/documents/schema-store.js';
import { isRelationship } from '../../data/documents/relationship-store.js';
import type { ApiNames } from './api-names.js';
import { toRelationshipModel } from './relationship-models.js';
import { bigintModelFields } from './bigint-values.js';
import { decodeValue, defaultOf, isStringSubtype, FLOAT_MAX, FLOAT_MIN } from './attribute-values.js';

export type Model = Record<string, unknown>;

export function toDatabaseModel(database: StoredDatabase): Model {
  return {
    $id: database.id,
    name: database.name,
    $createdAt: database.created_at,
    $updatedAt: database.updated_at,
    enabled: database.enabled === 1,
    type: database.type,
  };
}

export function toAttributeModel(attribute: StoredAttribute, api?: ApiNames): Model {
  if (isRelationship(attribute)) return toRelationshipModel(attribute, api);
  const model: Model = {
    key: attribute.key,
    type: attribute.type,
    status: attribute.status,
    error: attribute.error,
    required: attribute.required === 1,
    array: attribute.array === 1,
    $createdAt: attribute.created_at,
    $updatedAt: attribute.updated_at,
  };
  switch (attribute.type) {
    case 'double':
      Object.assign(model, { min: attribute.min ?? FLOAT_MIN, max: attribute.max ?? FLOAT_MAX });
      break;
    case 'integer':
    case 'bigint':
      Object.assign(model, bigintModelFields(attribute));
      break;
    case 'datetime':
      model.format = 'datetime';
      break;
    case 'string':
      // The text types report their own name as type, as Appwrite stores them; varchar keeps its size.
      if (isStringSubtype(attribute.format)) {
        Object.assign(model, { type: attribute.format, ...(attribute.format === 'varchar' ? { size: attribute.size } : {}), encrypt: attribute.encrypt === 1 });
      } else if (attribute.format === 'enum') Object.assign(model, { elements: JSON.parse(attribute.elements ?? '[]'), format: 'enum' });
      else if (attribute.format !== '') model.format = attribute.format;
      else Object.assign(model, { size: attribute.size, encrypt: attribute.encrypt === 1 });
      break;
  }
  model.default = defaultOf(attribute);
  return model;
}

export function toIndexModel(api: ApiNames, index: StoredIndex): Model {
  return {
    $id: index.key,
    $createdAt: index.created_at,
    $updatedAt: index.updated_at,
    key: index.key,
    type: index.type,
    status: index.status,
    error: index.error,
    [api.fields]: JSON.parse(index.attributes),
    lengths: JSON.parse(index.lengths),
    orders: JSON.parse(index.orders),
  };
}

export function toCollectionModel(
  api: ApiNames,
  database: StoredDatabase,
  collection: StoredCollection,
  attributes: readonly StoredAttribute[],
  indexes: readonly StoredIndex[],
): Model {
  return {
    $id: collection.id,
    $createdAt: collection.created_at,
    $updatedAt: collection.updated_at,
    $permissions: JSON.parse(collection.permissions),
    databaseId: database.id,
    name: collection.name,
    enabled: collection.enabled === 1,
    [api.security]: collection.document_security === 1,
    [api.fields]: attributes.map((attribute) => toAttributeModel(attribute, api)),
    indexes: indexes.map((index) => toIndexModel(api, index)),
    bytesMax: 0,
    bytesUsed: 0,
  };
}

/**
 * A document as the API returns it: system fields, then each available attribute (or,
 * with `select`, the chosen ones).
 */
export function toDocumentModel(
  api: ApiNames,
  ids: { databaseId: string; collectionId: string },
  attributes: readonly StoredAttribute[],
  row: StoredDocument,
  select?: readonly string[],
): Model {
  const model: Model = {
    $id: row._uid,
    $sequence: String(row._seq),
    [api.containerKey]: ids.collectionId,
    $databaseId: ids.databaseId,
    $createdAt: row._created_at,
    $updatedAt: row._updated_at,
    $permissions: JSON.parse(row._permissions),
  };
  const everything = !select || select.length === 0 || select.includes('*');
  for (const attribute of attributes) {
    // Related documents are loaded on request only (`select`), by the relationship loader.
    if (attribute.status !== 'available' || isRelationship(attribute)) continue;
    if (!everything && !select.includes(attribute.key)) continue;
    model[attribute.key] = decodeValue(attribute, row[attributeColumnName(attribute.seq)]);
  }
  return model;
}
