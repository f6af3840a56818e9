import { findDocumentsByIds } from '../../data/documents/document-bulk.js';
import type { StoredDocument } from '../../data/documents/document-store.js';
import { linkedIds } from '../../data/documents/relationship-store.js';
import { documentAllows } from './document-access.js';
import { toDocumentModel, type Model } from './models.js';
import { collectionOf, type RelationScope } from './relationship-context.js';
import { availableRelationships, sideOf } from './relationship-sides.js';
import type { CollectionContext } from './schema-context.js';

/**
 * Which relationships a select loads, with the select to apply inside each: `author.*`
 * loads the author with all its own attributes, `author.name` with that one, a bare
 * `author` as `author.*`, and `author.books.*` one level further.
 */
export function relationSelects(context: CollectionContext, select: readonly string[] | undefined): Map<string, string[]> {
  const plan = new Map<string, string[]>();
  if (!select) return plan;
  const keys = new Set(availableRelationships(context.attributes).map((a) => a.key));
  for (const path of select) {
    const dot = path.indexOf('.');
    const head = dot === -1 ? path : path.slice(0, dot);
    if (!keys.has(head)) continue;
    const inner = dot === -1 ? '*' : path.slice(dot + 1);
    plan.set(head, [...(plan.get(head) ?? []), inner]);
  }
  return plan;
}

/**
 * Adds the selected related documents to the models (same order as the rows). Related
 * documents the caller may not read are left out: null for a one-side, absent from a list.
 */
export async function loadRelated(
  scope: RelationScope,
  context: CollectionContext,
  rows: readonly StoredDocument[],
  models: readonly Model[],
  select: readonly string[] | undefined,
): Promise<void> {
  const plan = relationSelects(context, select);
  if (plan.size === 0 || rows.length === 0) return;
  for (const [key, inner] of plan) {
    const next = await attachRelated(scope, context, rows, models, key, inner);
    await loadRelated(scope, next.context, next.rows, next.models, inner);
  }
}

/** How many levels of related documents a write's answer carries, as Appwrite's (three levels of documents in all). */
const ANSWER_DEPTH = 2;

/**
 * Adds every relationship's related documents, whole, as Appwrite's answer to a create,
 * update or upsert has them: two levels deep, without the way back of a two-way
 * relationship; the last level's documents carry no relationship keys.
 */
export async function loadAllRelated(
  scope: RelationScope,
  context: CollectionContext,
  rows: readonly StoredDocument[],
  models: readonly Model[],
  depth = 0,
  wayBack?: string,
): Promise<void> {
  if (depth >= ANSWER_DEPTH || rows.length === 0) return;
  for (const relation of availableRelationships(context.attributes)) {
    if (relation.key === wayBack) continue;
    const next = await attachRelated(scope, context, rows, models, relation.key, undefined);
    await loadAllRelated(scope, next.context, next.rows, next.models, depth + 1, relation.two_way === 1 ? relation.two_way_key : undefined);
  }
}

/**
 * Sets `key` on each model to its row's related documents the caller may read (with `inner`
 * as their select), and returns those documents to load further.
 */
async function attachRelated(
  scope: RelationScope,
  context: CollectionContext,
  rows: readonly StoredDocument[],
  models: readonly Model[],
  key: string,
  inner: readonly string[] | undefined,
): Promise<{ context: CollectionContext; rows: StoredDocument[]; models: Model[] }> {
  const db = scope.deps.db.project(scope.projectId);
  const side = sideOf(availableRelationships(context.attributes).find((a) => a.key === key)!);
  const other = await collectionOf(scope, side.otherSeq);
  const uids = rows.map((row) => row._uid);
  const storage = side.storage;
  const linked =
    storage.kind === 'own'
      ? new Map(rows.map((row) => [row._uid, row[storage.column] == null ? [] : [String(row[storage.column])]]))
      : await linkedIds(db, storage, uids);
  const wanted = [...new Set([...linked.values()].flat())];
  const related = (await findDocumentsByIds(db, side.otherSeq, wanted))
    .filter((row) => documentAllows(scope.caller, other.collection, row, 'read'))
    .sort((a, b) => a._seq - b._seq);
  const ids = { databaseId: scope.database.id, collectionId: other.collection.id };
  const relatedModels = related.map((row) => toDocumentModel(scope.api, ids, other.attributes, row, inner));
  const byId = new Map(related.map((row, i) => [row._uid, { seq: row._seq, model: relatedModels[i]! }]));
  rows.forEach((row, i) => {
    const found = (linked.get(row._uid) ?? []).map((id) => byId.get(id)).filter((entry) => entry !== undefined);
    const model = models[i]!;
    model[key] = side.many ? found.sort((a, b) => a.seq - b.seq).map((entry) => entry.model) : (found[0]?.model ?? null);
  });
  return { context: other, rows: related, models: relatedModels };
}
