import { findCollection, findDatabase, listAttributesOf, schemaStore } from '../../src/data/documents/schema-store.js';
import type { ServiceDeps } from '../../src/services/deps.js';

/** The sequence of attribute `key` of db/posts, to run its queued job by hand. */
export async function findAttributeSeq(deps: ServiceDeps, projectId: string, key: string): Promise<number> {
  const store = schemaStore(deps.db.project(projectId));
  const database = await findDatabase(store, 'db');
  const collection = await findCollection(store, database!.seq, 'posts');
  const attribute = (await listAttributesOf(store, collection!.seq)).find((a) => a.key === key);
  return attribute!.seq;
}

export async function findCollectionSeq(deps: ServiceDeps, projectId: string): Promise<number> {
  const store = schemaStore(deps.db.project(projectId));
  const database = await findDatabase(store, 'db');
  return (await findCollection(store, database!.seq, 'posts'))!.seq;
}
