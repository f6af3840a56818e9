import { sql, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import type { FulltextIndex } from '../dialects/fulltext.js';
import type { SpatialIndex } from '../dialects/spatial.js';
import { inTransaction } from '../transactions.js';
import { attributeColumnName, documentTableName, indexName, permissionTableName } from './naming.js';

/** How an attribute is held: its SQL type. Arrays are JSON text on both engines. */
export type ColumnKind = 'text' | 'integer' | 'float' | 'boolean';

const SQL_TYPES = { text: 'text', integer: 'bigint', float: 'double precision', boolean: 'integer' } as const;

/** Creates a collection's document table and its permission table, in one transaction. */
export async function createDocumentTable(db: Kysely<any>, dialect: DialectCapabilities, collectionSeq: number): Promise<void> {
  const table = documentTableName(collectionSeq);
  const perms = permissionTableName(collectionSeq);
  await inTransaction(db, async (trx) => {
    await trx.schema
      .createTable(table)
      .addColumn('_seq', 'integer', (c) => dialect.autoIncrementPrimaryKey(c))
      .addColumn('_uid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('_created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('_updated_at', 'varchar(32)', (c) => c.notNull())
      // The document's permission strings as given, for output; access checks use the perms table.
      .addColumn('_permissions', 'text', (c) => c.notNull())
      .execute();
    await trx.schema.createIndex(`${table}_created`).on(table).columns(['_created_at']).execute();
    await trx.schema
      .createTable(perms)
      .addColumn('_document', 'integer', (c) => c.notNull())
      .addColumn('_type', 'varchar(8)', (c) => c.notNull())
      .addColumn('_role', 'varchar(255)', (c) => c.notNull())
      .addUniqueConstraint(`${perms}_unique`, ['_document', '_type', '_role'])
      .execute();
    await trx.schema.createIndex(`${perms}_role`).on(perms).columns(['_role', '_type']).execute();
  });
}

/** Drops a collection's tables, with the side tables of its full-text and spatial indexes. */
export async function dropDocumentTable(
  db: Kysely<any>,
  dialect: DialectCapabilities,
  collectionSeq: number,
  fulltext: readonly FulltextIndex[],
  spatial: readonly SpatialIndex[] = [],
): Promise<void> {
  for (const index of fulltext) await dialect.fulltext.drop(db, index);
  for (const index of spatial) await dialect.spatial.dropIndex(db, index);
  await db.transaction().execute(async (trx) => {
    await trx.schema.dropTable(permissionTableName(collectionSeq)).ifExists().execute();
    await trx.schema.dropTable(documentTableName(collectionSeq)).ifExists().execute();
  });
}

/** Adds an attribute's column; nullable, since `required` is checked on write and old rows have no value. */
export async function addAttributeColumn(db: Kysely<any>, collectionSeq: number, attributeSeq: number, kind: ColumnKind, array: boolean): Promise<void> {
  await db.schema
    .alterTable(documentTableName(collectionSeq))
    .addColumn(attributeColumnName(attributeSeq), array ? 'text' : SQL_TYPES[kind])
    .execute();
}

export async function dropAttributeColumn(db: Kysely<any>, collectionSeq: number, attributeSeq: number): Promise<void> {
  await db.schema.alterTable(documentTableName(collectionSeq)).dropColumn(attributeColumnName(attributeSeq)).execute();
}

/** Whether the column exists, so a retried job does not add or drop it twice. */
export async function hasColumn(db: Kysely<any>, collectionSeq: number, attributeSeq: number): Promise<boolean> {
  try {
    // Built with the query builder so the store's schema (PostgreSQL) qualifies the table.
    await db.selectFrom(documentTableName(collectionSeq)).select(attributeColumnName(attributeSeq)).where(sql<boolean>`1 = 0`).execute();
    return true;
  } catch {
    return false;
  }
}

/** One column of an index; `length` indexes only the first characters of a text column. */
export interface IndexColumn {
  column: string;
  order: 'asc' | 'desc' | null;
  length?: number | null;
  /** Index the first `length` characters in a key index too (long text, whose values may outgrow an index entry). */
  prefix?: boolean;
}

/**
 * Creates a key or unique index over attribute columns (with ASC/DESC orders).
 *
 * Lengths are MySQL's prefix indexes, which neither engine has. A unique index with a
 * length keeps Appwrite's meaning, uniqueness of the first `length` characters: both engines
 * index the expression substr(column, 1, length). A key index ignores lengths and indexes
 * whole values, because queries compare whole values and would never use a prefix expression,
 * unless the column asks for a prefix: long text values would not fit a whole-value entry.
 */
export async function createColumnIndex(
  db: Kysely<any>,
  collectionSeq: number,
  indexSeq: number,
  columns: readonly IndexColumn[],
  unique: boolean,
): Promise<void> {
  const parts = columns.map(({ column, order, length, prefix }) => {
    // DDL takes no bound parameters: the length is a checked integer written as a literal.
    const key = (unique || prefix) && length && Number.isInteger(length) && length > 0 ? sql`substr(${sql.ref(column)}, 1, ${sql.lit(length)})` : sql.ref(column);
    return order ? sql`${key} ${sql.raw(order)}` : key;
  });
  let builder = db.schema
    .createIndex(indexName(collectionSeq, indexSeq))
    .ifNotExists()
    .on(documentTableName(collectionSeq))
    .expression(sql.join(parts));
  if (unique) builder = builder.unique();
  await builder.execute();
}

export async function dropColumnIndex(db: Kysely<any>, collectionSeq: number, indexSeq: number): Promise<void> {
  await db.schema.dropIndex(indexName(collectionSeq, indexSeq)).ifExists().execute();
}

/** The full-text index of a collection's columns, named from the sequences. */
export function fulltextIndexOf(collectionSeq: number, indexSeq: number, columns: readonly string[]): FulltextIndex {
  return { table: documentTableName(collectionSeq), name: indexName(collectionSeq, indexSeq), columns };
}

export async function createFulltextIndex(db: Kysely<any>, dialect: DialectCapabilities, index: FulltextIndex): Promise<void> {
  await dialect.fulltext.create(db, index);
}

export async function dropFulltextIndex(db: Kysely<any>, dialect: DialectCapabilities, index: FulltextIndex): Promise<void> {
  await dialect.fulltext.drop(db, index);
}
