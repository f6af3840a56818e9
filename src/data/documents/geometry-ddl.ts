import { sql, type Kysely } from 'kysely';
import type { GeometryType } from '../../core/geometry.js';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import type { SpatialIndex } from '../dialects/spatial.js';
import { attributeColumnName, documentTableName, indexName } from './naming.js';

/** Adds a geo attribute's column (nullable, as every attribute column is). */
export async function addGeometryColumn(
  db: Kysely<any>,
  dialect: DialectCapabilities,
  collectionSeq: number,
  attributeSeq: number,
  type: GeometryType,
): Promise<void> {
  await dialect.spatial.ensure(db);
  await db.schema
    .alterTable(documentTableName(collectionSeq))
    // A PostGIS type with modifiers is no name Kysely knows: written out as given (ours, never user input).
    .addColumn(attributeColumnName(attributeSeq), sql.raw(dialect.spatial.columnType(type)))
    .execute();
}

/** The spatial index of a collection's geo column, named from the sequences. */
export function spatialIndexOf(collectionSeq: number, indexSeq: number, column: string): SpatialIndex {
  return { table: documentTableName(collectionSeq), name: indexName(collectionSeq, indexSeq), column };
}

export async function createSpatialIndex(db: Kysely<any>, dialect: DialectCapabilities, index: SpatialIndex): Promise<void> {
  await dialect.spatial.createIndex(db, index);
}

export async function dropSpatialIndex(db: Kysely<any>, dialect: DialectCapabilities, index: SpatialIndex): Promise<void> {
  await dialect.spatial.dropIndex(db, index);
}
