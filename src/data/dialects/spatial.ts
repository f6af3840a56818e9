import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { GeometryType } from '../../core/geometry.js';
import type { SpatialFilter } from '../../core/spatial-queries.js';

/** One spatial index over a geo column of a table keyed by an integer `_seq`. */
export interface SpatialIndex {
  table: string;
  /** A name of our own for the index (and, where the engine needs one, its side table). */
  name: string;
  column: string;
}

/** The engine cannot hold geometries (PostgreSQL without PostGIS); says what is missing. */
export class SpatialUnsupportedError extends Error {}

/**
 * How an engine holds and matches geometries: PostGIS on PostgreSQL; on SQLite, text with
 * exact predicates in registered functions and an R*Tree of bounding boxes as the index.
 * Values are written as extended WKT on both (core/geometry-text).
 */
export interface SpatialSupport {
  /** Makes the engine ready for geo columns, or throws SpatialUnsupportedError. */
  ensure(db: Kysely<any>): Promise<void>;
  /** The SQL type of a geo column. */
  columnType(type: GeometryType): string;
  /** Builds the index over the rows already there, and keeps it current from then on. */
  createIndex(db: Kysely<any>, index: SpatialIndex): Promise<void>;
  dropIndex(db: Kysely<any>, index: SpatialIndex): Promise<void>;
  /** Rows whose geometry in the column passes the filter; NULL never does, negated or not. */
  match(column: string, filter: SpatialFilter, index?: SpatialIndex): RawBuilder<SqlBool>;
}

/** The SQL comparison of each distance method. */
export const DISTANCE_OPERATORS = { equal: '=', notEqual: '<>', greaterThan: '>', lessThan: '<' } as const;
