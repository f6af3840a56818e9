import type { StoredDocument } from '../../data/documents/document-store.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import type { StoredAttribute } from '../../data/documents/schema-store.js';
import { apiError, type ApiNames } from './api-names.js';
import { decodeValue } from './attribute-values.js';
import { applyOperator, type UpdateOperator } from './operators.js';

/**
 * The API values the operators produce from a stored document (or from nothing, on
 * create). Call it with the row read under the write's lock so the result is not stale.
 */
export function operatorValues(
  api: ApiNames,
  attributes: readonly StoredAttribute[],
  operators: ReadonlyMap<string, UpdateOperator>,
  stored?: StoredDocument,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const now = new Date();
  for (const [key, operator] of operators) {
    const attribute = attributes.find((a) => a.key === key);
    if (!attribute || attribute.status === 'failed') {
      throw apiError(api, 'document_invalid_structure', { message: `Invalid document structure: Unknown attribute: "${key}"` });
    }
    if (attribute.status !== 'available') throw apiError(api, 'attribute_not_available', { params: [key] });
    const current = stored ? decodeValue(attribute, stored[attributeColumnName(attribute.seq)]) : null;
    const result = applyOperator(attribute, operator, current, now);
    if ('error' in result) throw apiError(api, 'document_invalid_structure', { message: `Invalid document structure: ${result.error}` });
    values[key] = result.value;
  }
  return values;
}
