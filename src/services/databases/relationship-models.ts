import type { StoredRelationship } from '../../data/documents/relationship-store.js';
import type { ApiNames } from './api-names.js';

/** The attribute model of a relationship side, in the API's words (relatedCollection / relatedTable). */
export function toRelationshipModel(attribute: StoredRelationship, api?: ApiNames): Record<string, unknown> {
  return {
    key: attribute.key,
    type: 'relationship',
    status: attribute.status,
    error: attribute.error,
    required: false,
    array: false,
    $createdAt: attribute.created_at,
    $updatedAt: attribute.updated_at,
    [api?.kind === 'tablesdb' ? 'relatedTable' : 'relatedCollection']: attribute.related_collection,
    relationType: attribute.relation_type,
    twoWay: attribute.two_way === 1,
    twoWayKey: attribute.two_way_key,
    onDelete: attribute.on_delete,
    side: attribute.side,
  };
}
