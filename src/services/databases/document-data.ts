import { isGeometryType } from '../../core/geometry.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import type { StoredAttribute } from '../../data/documents/schema-store.js';
import { apiError, type ApiNames } from './api-names.js';
import { checkScalar, defaultOf, encodeValue } from './attribute-values.js';

/**
 * Checks document data against the collection's attributes and returns it as columns.
 * On create every required attribute must be present and absent ones take their
 * default; an update checks only the keys it carries. Keys starting with `$` are the
 * API's own and are skipped here.
 */
export function columnsFromData(
  api: ApiNames,
  attributes: readonly StoredAttribute[],
  data: Readonly<Record<string, unknown>>,
  mode: 'create' | 'update',
): Record<string, unknown> {
  const invalid = (message: string) => apiError(api, 'document_invalid_structure', { message: `Invalid document structure: ${message}` });
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith('$')) continue;
    const attribute = attributes.find((a) => a.key === key);
    if (!attribute || attribute.status === 'failed') throw invalid(`Unknown attribute: "${key}"`);
    if (attribute.status !== 'available') throw apiError(api, 'attribute_not_available', { params: [key] });
    // Related documents are written by per-document writes (direct or staged), which take these keys out first.
    if (attribute.type === 'relationship') throw apiError(api, 'relationship_value_invalid', { message: `Relationship "${key}" cannot be written by this operation` });
    columns[attributeColumnName(attribute.seq)] = encodeValue(attribute, checkedValue(attribute, value, invalid));
  }
  if (mode === 'create') {
    for (const attribute of attributes) {
      if (attribute.status !== 'available' || Object.hasOwn(data, attribute.key)) continue;
      if (attribute.required === 1) throw invalid(`Missing required attribute "${attribute.key}"`);
      const fallback = defaultOf(attribute);
      if (fallback !== null) columns[attributeColumnName(attribute.seq)] = encodeValue(attribute, fallback);
    }
  }
  return columns;
}

function checkedValue(attribute: StoredAttribute, value: unknown, invalid: (message: string) => Error): unknown {
  if (value === null || value === undefined) {
    if (attribute.required === 1) throw invalid(`Missing required attribute "${attribute.key}"`);
    return null;
  }
  if (attribute.array === 1) {
    if (!Array.isArray(value)) throw invalid(`Attribute "${attribute.key}" must be an array`);
    // An optional array may hold nulls, as Appwrite's validator lets them through.
    return value.map((element) => (element === null && attribute.required !== 1 ? null : scalar(attribute, element, invalid)));
  }
  // A geo value is a coordinate array, not an array of values.
  if (Array.isArray(value) && !isGeometryType(attribute.type)) throw invalid(`Attribute "${attribute.key}" must not be an array`);
  return scalar(attribute, value, invalid);
}

function scalar(attribute: StoredAttribute, value: unknown, invalid: (message: string) => Error): unknown {
  const checked = checkScalar(attribute, value);
  if ('error' in checked) throw invalid(checked.error);
  return checked.value;
}
