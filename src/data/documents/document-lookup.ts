import { createQueryId, type CompiledQuery, type Kysely } from 'kysely';
import type { StoredDocument } from './stored-document.js';
import { documentTableName } from './naming.js';

/** Stands in for the id while compiling; every bound value is replaced by the real id. */
const ID_PLACEHOLDER = '\u0000id';

/**
 * `select * from docs_N where _uid = ?`, compiled once per store and collection. The table
 * of a collection sequence never changes shape under `*`, and sequences are never reused,
 * so the statement stays right for as long as the store is open.
 */
const compiled = new WeakMap<Kysely<any>, Map<number, CompiledQuery<StoredDocument>>>();

export async function findDocumentById(db: Kysely<any>, collectionSeq: number, id: string): Promise<StoredDocument | undefined> {
  let byCollection = compiled.get(db);
  if (!byCollection) {
    byCollection = new Map();
    compiled.set(db, byCollection);
  }
  let query = byCollection.get(collectionSeq);
  if (!query) {
    query = db.selectFrom(documentTableName(collectionSeq)).selectAll().where('_uid', '=', ID_PLACEHOLDER).compile() as CompiledQuery<StoredDocument>;
    byCollection.set(collectionSeq, query);
  }
  const parameters = query.parameters.map((value) => (value === ID_PLACEHOLDER ? id : value));
  const { rows } = await db.executeQuery<StoredDocument>({ ...query, parameters, queryId: createQueryId() });
  return rows[0];
}
