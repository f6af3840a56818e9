import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { adjustNumber } from '../../data/documents/document-counters.js';
import { findDocument } from '../../data/documents/document-store.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { FLOAT_MAX, FLOAT_MIN, INTEGER_MAX, INTEGER_MIN } from './attribute-values.js';
import { assertReadable, assertWritable } from './document-access.js';
import { publishDocument } from './documents.js';
import type { Model } from './models.js';
import type { DatabaseCaller } from '../../core/permissions.js';
import { requireCollection } from './schema-context.js';

type CounterIds = { databaseId: string; collectionId: string; documentId: string; attribute: string };

/**
 * Increments (or decrements) one numeric attribute by `value`, refusing to pass `max`
 * (or `min`) or the attribute's own range. The change and the bound check are a single
 * UPDATE, so concurrent callers cannot lose each other's steps.
 */
export async function adjustDocumentNumber(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: DatabaseCaller,
  ids: CounterIds,
  input: { direction: 'increment' | 'decrement'; value?: number | undefined; bound?: number | undefined },
): Promise<Model> {
  const context = await requireCollection(deps, projectId, api, ids, caller.isKey);
  const attribute = context.attributes.find((a) => a.key === ids.attribute);
  if (!attribute || attribute.status === 'failed') throw apiError(api, 'attribute_not_found', { params: [ids.attribute] });
  if (attribute.status !== 'available') throw apiError(api, 'attribute_not_available', { params: [ids.attribute] });
  const kind = attribute.type === 'integer' ? 'integer' : attribute.type === 'double' ? 'float' : undefined;
  if (!kind || attribute.array === 1) throw apiError(api, 'attribute_type_invalid', { params: [ids.attribute], message: `Attribute "${ids.attribute}" must be an integer or float` });
  const value = input.value ?? 1;
  if (!Number.isFinite(value) || value <= 0) throw new AppError('general_argument_invalid', 'Invalid `value` param: Value must be a number greater than 0');
  if (kind === 'integer' && !Number.isInteger(value)) {
    throw apiError(api, 'document_invalid_structure', { message: `Invalid document structure: Attribute "${ids.attribute}" has invalid type. Value must be a valid integer` });
  }

  const db = deps.db.project(projectId);
  const current = assertReadable(api, caller, context.collection, await findDocument(db, context.collection.seq, ids.documentId), ids.documentId);
  assertWritable(caller, context.collection, current, 'update');

  const up = input.direction === 'increment';
  const ownLimit = up ? (attribute.max ?? (kind === 'integer' ? INTEGER_MAX : FLOAT_MAX)) : (attribute.min ?? (kind === 'integer' ? INTEGER_MIN : FLOAT_MIN));
  const limit = input.bound === undefined ? ownLimit : up ? Math.min(input.bound, ownLimit) : Math.max(input.bound, ownLimit);
  const row = await adjustNumber(db, context.collection.seq, current._seq, {
    column: attributeColumnName(attribute.seq),
    kind,
    delta: up ? value : -value,
    ...(up ? { max: limit } : { min: limit }),
    updatedAt: nowDateTime(),
  });
  if (!row) {
    // Nothing changed: either the bound held it back or the document went away meanwhile.
    if (!(await findDocument(db, context.collection.seq, ids.documentId))) throw apiError(api, 'document_not_found', { params: [ids.documentId] });
    throw apiError(api, 'attribute_limit_exceeded', {
      params: [ids.collectionId],
      message: `Attribute "${ids.attribute}" has reached the ${up ? 'maximum' : 'minimum'} value of ${limit}`,
    });
  }
  return publishDocument(deps, projectId, api, ids, context, row, 'update');
}
