import { nowDateTime } from '../../core/datetime.js';
import { adjustNumber } from '../../data/documents/document-counters.js';
import { findDocument } from '../../data/documents/document-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { counterChange } from './counter-change.js';
import { assertReadable, assertWritable } from './document-access.js';
import { commitWithEvents } from '../event-outbox.js';
import { emitDocument } from './document-events.js';
import { invalidateLists } from './list-cache.js';
import type { Model } from './models.js';
import type { Caller } from '../../core/caller.js';
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
  caller: Caller,
  ids: CounterIds,
  input: { direction: 'increment' | 'decrement'; value?: number | bigint | undefined; bound?: number | bigint | undefined },
): Promise<Model> {
  const context = await requireCollection(deps, projectId, api, ids, caller.actsForProject);
  const attribute = context.attributes.find((a) => a.key === ids.attribute);
  if (!attribute || attribute.status === 'failed') throw apiError(api, 'attribute_not_found', { params: [ids.attribute] });
  if (attribute.status !== 'available') throw apiError(api, 'attribute_not_available', { params: [ids.attribute] });
  const db = deps.db.project(projectId);
  const current = assertReadable(api, caller, context.collection, await findDocument(db, context.collection.seq, ids.documentId), ids.documentId);
  assertWritable(caller, context.collection, current, 'update');

  const up = input.direction === 'increment';
  const { adjustment, limit } = counterChange(api, attribute, { up, value: input.value, bound: input.bound, updatedAt: nowDateTime() });
  // The change and its event commit together.
  const model = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await adjustNumber(trx, context.collection.seq, current._seq, adjustment);
    return row && emitDocument(emit, projectId, api, ids, context, row, 'update');
  });
  if (!model) {
    // Nothing changed: either the bound held it back or the document went away meanwhile.
    if (!(await findDocument(db, context.collection.seq, ids.documentId))) throw apiError(api, 'document_not_found', { params: [ids.documentId] });
    throw apiError(api, 'attribute_limit_exceeded', {
      params: [ids.collectionId],
      message: `Attribute "${ids.attribute}" has reached the ${up ? 'maximum' : 'minimum'} value of ${limit}`,
    });
  }
  invalidateLists(deps, projectId, context.collection.seq);
  return model;
}
