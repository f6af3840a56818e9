import { collectionBySeq, relationshipsTouching, type StoredRelationship } from '../../data/documents/relationship-store.js';
import { listAttributesOf, listIndexesOf, type StoredDatabase } from '../../data/documents/schema-store.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import type { Caller } from '../../core/caller.js';
import { attributesKey, withSealKeys } from './encrypted-values.js';
import { metadata, type CollectionContext } from './schema-context.js';

/**
 * What work across a relationship needs: the caller, and the collections met on the way
 * (loaded once per request).
 */
export interface RelationScope {
  deps: ServiceDeps;
  projectId: string;
  api: ApiNames;
  caller: Caller;
  database: StoredDatabase;
  collections: Map<number, Promise<CollectionContext>>;
  touching: Map<number, Promise<StoredRelationship[]>>;
}

export function relationScope(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, context: CollectionContext): RelationScope {
  const scope: RelationScope = { deps, projectId, api, caller, database: context.database, collections: new Map(), touching: new Map() };
  scope.collections.set(context.collection.seq, Promise.resolve(context));
  return scope;
}

/** The collection at the other end of a relationship. */
export function collectionOf(scope: RelationScope, seq: number): Promise<CollectionContext> {
  let context = scope.collections.get(seq);
  if (!context) {
    context = (async () => {
      const store = metadata(scope.deps, scope.projectId);
      const collection = await collectionBySeq(store, seq);
      if (!collection) throw new Error(`Collection ${seq} of a relationship is gone`);
      const [attributes, indexes] = await Promise.all([listAttributesOf(store, seq), listIndexesOf(store, seq)]);
      return { database: scope.database, collection, attributes: withSealKeys(attributes, attributesKey(scope.deps.secretKey, scope.projectId)), indexes };
    })();
    scope.collections.set(seq, context);
  }
  return context;
}

/** Every available relationship with an end in the collection, one-way ones included. */
export function relationshipsOf(scope: RelationScope, collectionSeq: number): Promise<StoredRelationship[]> {
  let list = scope.touching.get(collectionSeq);
  if (!list) {
    list = relationshipsTouching(metadata(scope.deps, scope.projectId), collectionSeq).then((rows) => rows.filter((row) => row.status === 'available'));
    scope.touching.set(collectionSeq, list);
  }
  return list;
}

/**
 * Loads every collection reachable through relationships from this one, before a
 * transaction starts: SQLite runs one statement at a time on one connection, so metadata
 * cannot be read beside an open transaction.
 */
export async function loadRelationGraph(scope: RelationScope, collectionSeq: number): Promise<void> {
  const pending = [collectionSeq];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const seq = pending.pop()!;
    if (seen.has(seq)) continue;
    seen.add(seq);
    await collectionOf(scope, seq);
    for (const relation of await relationshipsOf(scope, seq)) pending.push(relation.collection_seq, relation.related_collection_seq);
  }
}
