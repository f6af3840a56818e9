import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { boundingBox } from '../../core/geometry.js';
import { toEwkt } from '../../core/geometry-text.js';
import type { SpatialFilter } from '../../core/spatial-queries.js';
import { DISTANCE_OPERATORS, type SpatialIndex, type SpatialSupport } from './spatial.js';

/**
 * Geometries as extended WKT text. Exact predicates run in the functions sqlite-geometry
 * registers on every connection (JTS semantics, the ones PostGIS has); a spatial index is
 * an R*Tree of bounding boxes kept in step by triggers, which narrows the rows a
 * predicate that needs the boxes to meet is tried on. Everything stays inside the one SQL
 * statement, so limits, cursors and totals count exactly the matching rows.
 */
export const sqliteSpatial: SpatialSupport = {
  async ensure() {},
  columnType: () => 'text',
  async createIndex(db, index) {
    const rtree = sql.table(index.name);
    const table = sql.table(index.table);
    const column = sql.id(index.column);
    const box = (row: 'new' | 'old' | null) => {
      const value = row ? sql`${sql.raw(row)}.${column}` : column;
      return sql.join([0, 2, 1, 3].map((corner) => sql`plinth_geo_bbox(${value}, ${sql.lit(corner)})`));
    };
    await db.transaction().execute(async (trx) => {
      await sql`create virtual table ${rtree} using rtree(id, min_x, max_x, min_y, max_y)`.execute(trx);
      await sql`create trigger ${sql.id(`${index.name}_ai`)} after insert on ${table} when new.${column} is not null begin
        insert into ${rtree} values (new._seq, ${box('new')}); end`.execute(trx);
      await sql`create trigger ${sql.id(`${index.name}_ad`)} after delete on ${table} begin
        delete from ${rtree} where id = old._seq; end`.execute(trx);
      await sql`create trigger ${sql.id(`${index.name}_au`)} after update of ${column} on ${table} begin
        delete from ${rtree} where id = old._seq;
        insert into ${rtree} select new._seq, ${box('new')} where new.${column} is not null; end`.execute(trx);
      await sql`insert into ${rtree} select _seq, ${box(null)} from ${table} where ${column} is not null`.execute(trx);
    });
  },
  async dropIndex(db, index) {
    await db.transaction().execute(async (trx) => {
      for (const suffix of ['_ai', '_ad', '_au']) await sql`drop trigger if exists ${sql.id(index.name + suffix)}`.execute(trx);
      await sql`drop table if exists ${sql.table(index.name)}`.execute(trx);
    });
  },
  match(column, filter, index): RawBuilder<SqlBool> {
    const ref = sql.ref(column);
    const geometry = toEwkt(filter.geometry);
    let exact: RawBuilder<SqlBool>;
    if (filter.kind === 'distance') {
      const operator = sql.raw(DISTANCE_OPERATORS[filter.op]);
      exact = sql<SqlBool>`plinth_geo_distance(${ref}, ${geometry}, ${filter.meters ? 1 : 0}) ${operator} ${filter.distance}`;
    } else {
      exact = sql<SqlBool>`plinth_geo_relate(${filter.relation}, ${ref}, ${geometry}) = ${filter.negate ? 0 : 1}`;
    }
    const reach = index ? boxReach(filter) : undefined;
    if (!index || reach === undefined) return exact;
    const [minX, minY, maxX, maxY] = boundingBox(filter.geometry);
    const near = sql<SqlBool>`${sql.ref(`${index.table}._seq`)} in (select id from ${sql.table(index.name)}
      where min_x <= ${maxX + reach.by} and max_x >= ${minX - reach.by} and min_y <= ${maxY + reach.by} and max_y >= ${minY - reach.by})`;
    if (reach.within) return sql<SqlBool>`(${near} and ${exact})`;
    // Far from the box the filter holds for sure; a NULL value is in no box and never matches.
    return sql<SqlBool>`(${ref} is not null and (not ${near} or ${exact}))`;
  },
};

/**
 * What the index can tell about a filter: a match lies `within` reach of the query's box
 * (`by` degrees around it), or everything beyond that reach matches; undefined when the
 * boxes say nothing (distances in meters).
 */
function boxReach(filter: SpatialFilter): { within: boolean; by: number } | undefined {
  if (filter.kind === 'spatial') return { within: !filter.negate, by: 0 };
  if (filter.meters || filter.distance < 0) return undefined;
  return { within: filter.op === 'lessThan' || filter.op === 'equal', by: filter.distance };
}

export type { SpatialIndex };
