import { nowDateTime } from '../../core/datetime.js';
import {
  createRelationStorage,
  deleteRelationshipRows,
  dropRelationStorage,
  relationshipRows,
  relationshipsTouching,
  updateRelationshipRow,
  type StoredRelationship,
} from '../../data/documents/relationship-store.js';
import type { ServiceDeps } from '../deps.js';
import { metadata } from './schema-context.js';

function homeOf(row: StoredRelationship): [number, number] {
  return row.side === 'parent' ? [row.collection_seq, row.related_collection_seq] : [row.related_collection_seq, row.collection_seq];
}

/** Builds the relationship's column or junction table, then makes both sides available (or failed). */
export async function createRelationshipStorage(deps: ServiceDeps, projectId: string, attribute: StoredRelationship): Promise<void> {
  const store = metadata(deps, projectId);
  const rows = await relationshipRows(store, attribute.relation_seq);
  let status = 'available';
  let error = '';
  try {
    await createRelationStorage(deps.db.project(projectId), attribute.relation_type, attribute.relation_seq, ...homeOf(attribute));
  } catch (cause) {
    status = 'failed';
    error = cause instanceof Error ? cause.message : String(cause);
  }
  for (const row of rows) {
    if (row.status === 'processing') await updateRelationshipRow(store, row.seq, { status, error, updated_at: nowDateTime() });
  }
}

/** Drops the relationship's column or junction table with both sides' metadata. */
export async function removeRelationshipStorage(deps: ServiceDeps, projectId: string, attribute: StoredRelationship): Promise<void> {
  await dropRelationStorage(deps.db.project(projectId), attribute.relation_type, attribute.relation_seq, ...homeOf(attribute));
  await deleteRelationshipRows(metadata(deps, projectId), attribute.relation_seq);
}

/** Before a collection goes: every relationship it takes part in, with twins on other collections and junction tables. */
export async function dropCollectionRelationships(deps: ServiceDeps, projectId: string, collectionSeq: number): Promise<void> {
  for (const relation of await relationshipsTouching(metadata(deps, projectId), collectionSeq)) {
    await removeRelationshipStorage(deps, projectId, relation);
  }
}
