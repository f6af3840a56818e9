import { isGeometryType } from '../../core/geometry.js';
import type { SpatialIndex } from '../../data/dialects/spatial.js';
import { spatialIndexOf } from '../../data/documents/geometry-ddl.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import type { StoredAttribute, StoredIndex } from '../../data/documents/schema-store.js';
import { apiError, type ApiNames } from './api-names.js';

/** The engine's view of a spatial index: its table, name and the column of its one attribute. */
export function spatialIndexFor(index: StoredIndex, attributes: readonly StoredAttribute[]): SpatialIndex {
  const [key] = JSON.parse(index.attributes) as string[];
  const attribute = attributes.find((a) => a.key === key);
  if (!attribute) throw new Error(`Attribute "${key}" no longer exists`);
  return spatialIndexOf(index.collection_seq, index.seq, attributeColumnName(attribute.seq));
}

/** Every spatial index of a collection whose attribute still exists, e.g. to drop them with it. */
export function spatialIndexesOf(attributes: readonly StoredAttribute[], indexes: readonly StoredIndex[]): SpatialIndex[] {
  return indexes
    .filter((index) => index.type === 'spatial')
    .filter((index) => attributes.some((a) => a.key === (JSON.parse(index.attributes) as string[])[0]))
    .map((index) => spatialIndexFor(index, attributes));
}

/**
 * Appwrite's rules: a spatial index covers exactly one geo attribute and takes no orders;
 * geo attributes take no other kind of index. Null values are allowed in a spatial index,
 * as PostgreSQL (and SQLite's R*Tree) hold them.
 */
export function checkSpatialIndex(
  api: ApiNames,
  input: { type: string; attributes: readonly string[]; orders?: readonly string[] | undefined },
  attributes: readonly StoredAttribute[],
): void {
  const typeOf = (key: string) => attributes.find((a) => a.key === key)?.type ?? '';
  if (input.type !== 'spatial') {
    const geo = input.attributes.find((key) => isGeometryType(typeOf(key)));
    if (geo !== undefined) {
      throw apiError(api, 'index_invalid', { message: `Cannot create ${input.type} index on spatial attribute "${geo}". Spatial attributes require spatial indexes.` });
    }
    return;
  }
  if (input.attributes.length !== 1) throw apiError(api, 'index_invalid', { message: 'Spatial index must have exactly one attribute' });
  const key = input.attributes[0]!;
  if (!isGeometryType(typeOf(key))) {
    throw apiError(api, 'index_invalid', {
      message: `Spatial index can only be created on spatial attributes (point, linestring, polygon). Attribute "${key}" is of type "${typeOf(key)}"`,
    });
  }
  if (input.orders && input.orders.some((order) => order !== '')) {
    throw apiError(api, 'index_invalid', { message: 'Spatial indexes with explicit orders are not supported. Remove the orders to create this index.' });
  }
}
