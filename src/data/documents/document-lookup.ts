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

/** The schema version's column in a lookup that reads it beside the document. */
const VERSION_COLUMN = '$$schema_version';
const compiledWithVersion = new WeakMap<Kysely<any>, Map<number, CompiledQuery<Record<string, unknown>>>>();

/**
 * The document with this id and, in the same statement, the project's schema version (see
 * schema-version.ts), so a caller that used cached metadata learns whether it still holds
 * without a round trip of its own. The version's row is always there; the document is
 * joined to it, absent when no row has the id.
 */
export async function findDocumentWithSchemaVersion(
  db: Kysely<any>,
  collectionSeq: number,
  id: string,
): Promise<{ schemaVersion: number; row: StoredDocument | undefined }> {
  let byCollection = compiledWithVersion.get(db);
  if (!byCollection) {
    byCollection = new Map();
    compiledWithVersion.set(db, byCollection);
  }
  let query = byCollection.get(collectionSeq);
  if (!query) {
    query = db
      .selectFrom('schema_version as v')
      .leftJoin(`${documentTableName(collectionSeq)} as d`, (join) => join.on('d._uid', '=', ID_PLACEHOLDER))
      .select(`v.version as ${VERSION_COLUMN}`)
      .selectAll('d')
      .where('v.id', '=', 1)
      .compile() as CompiledQuery<Record<string, unknown>>;
    byCollection.set(collectionSeq, query);
  }
  const parameters = query.parameters.map((value) => (value === ID_PLACEHOLDER ? id : value));
  const { rows } = await db.executeQuery<Record<string, unknown>>({ ...query, parameters, queryId: createQueryId() });
  const row = rows[0];
  if (!row) throw new Error('the schema_version row is missing');
  const schemaVersion = Number(row[VERSION_COLUMN]);
  if (row._uid === null) return { schemaVersion, row: undefined };
  delete row[VERSION_COLUMN];
  return { schemaVersion, row: row as unknown as StoredDocument };
}
