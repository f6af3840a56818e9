import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { deleteDocumentsIn, findDocumentsByIds } from '../../data/documents/document-bulk.js';
import type { StoredDocument } from '../../data/documents/document-store.js';
import { lockedDocument } from '../../data/documents/document-locks.js';
import { linkedIds, unlinkAll } from '../../data/documents/relationship-store.js';
import { apiError } from './api-names.js';
import { commitWithEvents } from '../event-outbox.js';
import { emitWrites } from './document-events.js';
import { invalidateListsOf } from './list-cache.js';
import { documentAllows } from './document-access.js';
import { RelatedChanges, type RelatedWrite } from './relationship-changes.js';
import { collectionOf, loadRelationGraph, relationshipsOf, type RelationScope } from './relationship-context.js';
import { sideOf, type RelationSide } from './relationship-sides.js';
import type { CollectionContext } from './schema-context.js';

/**
 * Deletes a document and applies each relationship's onDelete, all in one transaction:
 * `restrict` refuses while related documents exist, `cascade` deletes them (recursively,
 * each under its own rules and the caller's delete permission), `setNull` lets them go.
 * Links held outside the deleted rows are always removed. The transaction emits the event
 * of each document written, the asked-for one first, then the other deleted ones, then the
 * surviving ones that lost a link, with a new `$updatedAt`: those need no permission of the
 * caller, as a link to a deleted document means nothing.
 */
export async function deleteWithRelationships(
  scope: RelationScope,
  context: CollectionContext,
  row: StoredDocument,
  guard?: (stored: StoredDocument) => void,
): Promise<void> {
  const { deps, projectId, api } = scope;
  await loadRelationGraph(scope, context.collection.seq);
  const written = await commitWithEvents(deps, projectId, async (trx, emit) => {
    // With a guard, the row is read again under the lock and the guard judges that state.
    const current = guard ? await lockedDocument(trx, deps.db.dialect, context.collection.seq, row._seq) : row;
    if (!current) throw apiError(api, 'document_not_found', { params: [row._uid] });
    guard?.(current);
    const removed = await deleteWithRelationshipsIn(trx, scope, context, current);
    emitWrites(emit, projectId, api, scope.database.id, removed);
    return removed;
  });
  invalidateListsOf(deps, projectId, written);
}

/** The delete itself, inside a transaction the caller holds, the relation graph loaded already. */
export async function deleteWithRelationshipsIn(trx: Kysely<any>, scope: RelationScope, context: CollectionContext, row: StoredDocument): Promise<RelatedWrite[]> {
  const removed: RelatedWrite[] = [];
  const unlinked = new RelatedChanges(undefined);
  await removeDocument(trx, scope, context, row, new Set(), removed, unlinked);
  return [...removed, ...(await unlinked.settle(trx, nowDateTime()))];
}

async function removeDocument(
  trx: Kysely<any>,
  scope: RelationScope,
  context: CollectionContext,
  row: StoredDocument,
  seen: Set<string>,
  removed: RelatedWrite[],
  unlinked: RelatedChanges,
): Promise<void> {
  const seq = context.collection.seq;
  const mark = `${seq}:${row._uid}`;
  if (seen.has(mark)) return;
  seen.add(mark);
  const cascades: { side: RelationSide; ids: string[] }[] = [];
  for (const relation of await relationshipsOf(scope, seq)) {
    const ends: ('parent' | 'child')[] = [];
    const parentSeq = relation.collection_seq;
    if (parentSeq === seq) ends.push('parent');
    if (relation.related_collection_seq === seq) ends.push('child');
    for (const end of ends) {
      const side = sideOf(relation, end);
      const storage = side.storage;
      const ids =
        storage.kind === 'own'
          ? row[storage.column] == null ? [] : [String(row[storage.column])]
          : ((await linkedIds(trx, storage, [row._uid])).get(row._uid) ?? []);
      if (ids.length === 0) continue;
      if (side.onDelete === 'restrict' && restricts(side)) throw apiError(scope.api, 'document_delete_restricted');
      const other = await collectionOf(scope, side.otherSeq);
      if (side.onDelete === 'cascade' && cascadesFrom(side)) cascades.push({ side, ids });
      else await unlinked.changed(trx, other, ids.filter((id) => !seen.has(`${side.otherSeq}:${id}`)));
      await unlinkAll(trx, storage, row._uid);
    }
  }
  await deleteDocumentsIn(trx, seq, [row._seq]);
  unlinked.forget(context, row._uid);
  removed.push({ context, row, action: 'delete' });
  for (const { side, ids } of cascades) {
    const other = await collectionOf(scope, side.otherSeq);
    for (const related of await findDocumentsByIds(trx, side.otherSeq, ids)) {
      if (!documentAllows(scope.caller, other.collection, related, 'delete')) throw new AppError('user_unauthorized');
      await removeDocument(trx, scope, other, related, seen, removed, unlinked);
    }
  }
}

/** Which ends refuse a delete while linked: a parent (unless it is one of many pointing at one), and the "one" a manyToOne points at. */
function restricts(side: RelationSide): boolean {
  return side.side === 'parent' ? side.type !== 'manyToOne' : side.type === 'manyToOne';
}

/** Which ends take their related documents with them: both ends of oneToOne and manyToMany, the "one" of the others. */
function cascadesFrom(side: RelationSide): boolean {
  switch (side.type) {
    case 'oneToOne':
    case 'manyToMany':
      return true;
    case 'oneToMany':
      return side.side === 'parent';
    case 'manyToOne':
      return side.side === 'child';
  }
}
