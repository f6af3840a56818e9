import { createQueryId, type CompiledQuery, type Kysely } from 'kysely';
import type { StoredDocument } from './stored-document.js';
import { documentTableName } from './naming.js';
import { statementOwner } from '../statement-owner.js';

/** A compiled insert and, per bound parameter, the column whose value it takes (-1: keep as compiled). */
interface CompiledInsert {
  query: CompiledQuery<StoredDocument>;
  sources: readonly number[];
}

/**
 * `insert into docs_N (columns…) values (…) returning *`, compiled once per store, collection and
 * column list: the statement's text depends on nothing else, so a changed schema (another column
 * list) simply compiles another. Kept per store (see statementOwner) because a store may name
 * its schema in the text; its transactions use the store's.
 */
const compiled = new WeakMap<object, Map<string, CompiledInsert>>();
const MAX_STATEMENTS_PER_STORE = 500;

/** Inserts one row into a collection's table and returns it as stored. */
export async function insertDocumentRow(db: Kysely<any>, collectionSeq: number, row: Readonly<Record<string, unknown>>): Promise<StoredDocument> {
  const columns = Object.keys(row);
  // Values Kysely would turn into SQL are rare: build those.
  if (!columns.every((column) => isBoundAsIs(row[column]))) {
    return (await db.insertInto(documentTableName(collectionSeq)).values(row).returningAll().executeTakeFirstOrThrow()) as StoredDocument;
  }
  const statement = compiledInsert(db, collectionSeq, columns);
  const parameters = statement.sources.map((source, at) => (source === -1 ? statement.query.parameters[at] : row[columns[source]!]));
  const { rows } = await db.executeQuery<StoredDocument>({ ...statement.query, parameters, queryId: createQueryId() });
  const inserted = rows[0];
  if (inserted === undefined) throw new Error('The insert returned no row');
  return inserted;
}

function compiledInsert(db: Kysely<any>, collectionSeq: number, columns: readonly string[]): CompiledInsert {
  const owner = statementOwner(db);
  let byLayout = compiled.get(owner);
  if (!byLayout) {
    byLayout = new Map();
    compiled.set(owner, byLayout);
  }
  const key = `${collectionSeq}:${columns.join(',')}`;
  let statement = byLayout.get(key);
  if (!statement) {
    if (byLayout.size >= MAX_STATEMENTS_PER_STORE) byLayout.clear();
    const slots = columns.map((column) => Symbol(column));
    const query = db
      .insertInto(documentTableName(collectionSeq))
      .values(Object.fromEntries(columns.map((column, at) => [column, slots[at]])))
      .returningAll()
      .compile() as CompiledQuery<StoredDocument>;
    statement = { query, sources: query.parameters.map((value) => slots.indexOf(value as symbol)) };
    byLayout.set(key, statement);
  }
  return statement;
}

/** Values Kysely binds unchanged as parameters (anything else it might turn into SQL). */
export function isBoundAsIs(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';
}
