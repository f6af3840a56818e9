import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { EARTH_RADIUS_METERS, GEOMETRY_SRID } from '../../core/geometry.js';
import { toEwkt } from '../../core/geometry-text.js';
import type { SpatialRelation } from '../../core/spatial-queries.js';
import { DISTANCE_OPERATORS, SpatialUnsupportedError, type SpatialSupport } from './spatial.js';

const PREDICATES: Readonly<Record<SpatialRelation, string>> = {
  equals: 'ST_Equals',
  intersects: 'ST_Intersects',
  crosses: 'ST_Crosses',
  overlaps: 'ST_Overlaps',
  touches: 'ST_Touches',
  // ST_Covers, not ST_Contains: a point on the boundary is contained, as Appwrite matches it.
  covers: 'ST_Covers',
};
const COLUMN_TYPES = { point: 'Point', linestring: 'LineString', polygon: 'Polygon' } as const;

/**
 * PostGIS geometry columns in SRID 4326 with GiST indexes. The extension lives in the
 * database (schema public, which every connection's search path holds); it is created on
 * the first geo column when the server has PostGIS installed (Debian postgresql-15-postgis-3).
 */
export const postgresSpatial: SpatialSupport = {
  async ensure(db) {
    const installed = await sql<{ one: number }>`select 1 as one from pg_extension where extname = 'postgis'`.execute(db);
    if (installed.rows.length > 0) return;
    const available = await sql<{ one: number }>`select 1 as one from pg_available_extensions where name = 'postgis'`.execute(db);
    if (available.rows.length === 0) {
      throw new SpatialUnsupportedError('the PostGIS extension is not installed on this PostgreSQL server (on Debian: the postgresql-<version>-postgis-3 package).');
    }
    try {
      await db.transaction().execute(async (trx) => {
        // Two first geo columns at once would race on CREATE EXTENSION: they take turns.
        await sql`select pg_advisory_xact_lock(hashtext('plinth-postgis'))`.execute(trx);
        await sql`create extension if not exists postgis with schema public`.execute(trx);
      });
    } catch (error) {
      throw new SpatialUnsupportedError(`the PostGIS extension could not be enabled (a superuser can run CREATE EXTENSION postgis): ${(error as Error).message}`);
    }
  },
  columnType: (type) => `geometry(${COLUMN_TYPES[type]},${GEOMETRY_SRID})`,
  async createIndex(db, index) {
    await db.schema.createIndex(index.name).ifNotExists().on(index.table).using('gist').column(index.column).execute();
  },
  async dropIndex(db, index) {
    await db.schema.dropIndex(index.name).ifExists().execute();
  },
  match(column, filter): RawBuilder<SqlBool> {
    const ref = sql.ref(column);
    const geometry = sql`ST_GeomFromEWKT(${toEwkt(filter.geometry)})`;
    if (filter.kind === 'distance') {
      const operator = sql.raw(DISTANCE_OPERATORS[filter.op]);
      const distance = filter.meters
        ? sql`ST_DistanceSphere(${ref}, ${geometry}, ${sql.lit(EARTH_RADIUS_METERS)})`
        : sql`ST_Distance(${ref}, ${geometry})`;
      return sql<SqlBool>`${distance} ${operator} ${filter.distance}`;
    }
    const test = sql<SqlBool>`${sql.raw(PREDICATES[filter.relation])}(${ref}, ${geometry})`;
    return filter.negate ? sql<SqlBool>`not ${test}` : test;
  },
};
