import { documentTableName } from '../../data/documents/naming.js';
import {
  isRelationship,
  junctionTableName,
  relationColumnName,
  type LinkStorage,
  type RelationOnDelete,
  type RelationType,
  type StoredRelationship,
} from '../../data/documents/relationship-store.js';
import type { StoredAttribute } from '../../data/documents/schema-store.js';

/** One end of a relationship, seen from the collection on that end. */
export interface RelationSide {
  relationSeq: number;
  type: RelationType;
  onDelete: RelationOnDelete;
  side: 'parent' | 'child';
  /** The collection this end belongs to, and the one across. */
  selfSeq: number;
  otherSeq: number;
  /** Whether this end holds a list of documents (else one or none). */
  many: boolean;
  /** Whether the other end shows the link too (a one-way link is seen from this end only). */
  twoWay: boolean;
  storage: LinkStorage;
}

/**
 * The end of a relationship an attribute row stands for. Parent rows may also be read from
 * the child's end (`asSide: 'child'`): a one-way relationship has no child row, yet its
 * onDelete rule still applies when a child document goes.
 */
export function sideOf(row: StoredRelationship, asSide: 'parent' | 'child' = row.side): RelationSide {
  const parentSeq = row.side === 'parent' ? row.collection_seq : row.related_collection_seq;
  const childSeq = row.side === 'parent' ? row.related_collection_seq : row.collection_seq;
  const selfSeq = asSide === 'parent' ? parentSeq : childSeq;
  const otherSeq = asSide === 'parent' ? childSeq : parentSeq;
  const type = row.relation_type;
  const column = relationColumnName(row.relation_seq);
  const many = type === 'manyToMany' || (asSide === 'parent' ? type === 'oneToMany' : type === 'manyToOne');
  let storage: LinkStorage;
  if (type === 'manyToMany') {
    storage = { kind: 'junction', table: junctionTableName(row.relation_seq), self: asSide, other: asSide === 'parent' ? 'child' : 'parent' };
  } else if (type === 'oneToMany') {
    storage = asSide === 'parent' ? { kind: 'foreign', table: documentTableName(childSeq), column } : { kind: 'own', table: documentTableName(childSeq), column };
  } else {
    storage = asSide === 'parent' ? { kind: 'own', table: documentTableName(parentSeq), column } : { kind: 'foreign', table: documentTableName(parentSeq), column };
  }
  return { relationSeq: row.relation_seq, type, onDelete: row.on_delete, side: asSide, selfSeq, otherSeq, many, twoWay: Boolean(row.two_way), storage };
}

/** The collection's relationship attributes that are ready for use. */
export function availableRelationships(attributes: readonly StoredAttribute[]): StoredRelationship[] {
  return attributes.filter((a): a is StoredRelationship => isRelationship(a) && a.status === 'available');
}

/** Relationship keys whose id sits in the document's own row, with that column: what filters may name. */
export function ownRelationColumns(attributes: readonly StoredAttribute[]): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const attribute of availableRelationships(attributes)) {
    const { storage } = sideOf(attribute);
    if (storage.kind === 'own') columns[attribute.key] = storage.column;
  }
  return columns;
}
