import type BetterSqlite3 from 'better-sqlite3';
import { boundingBox, sphereDistanceMeters, type Geometry } from '../../core/geometry.js';
import { readStoredGeometry } from '../../core/geometry-text.js';
import type { SpatialRelation } from '../../core/spatial-queries.js';
import { onFirstUse } from '../../core/load-package.js';

type Jsts = {
  GeometryFactory: typeof import('jsts/org/locationtech/jts/geom/GeometryFactory.js').default;
  Coordinate: typeof import('jsts/org/locationtech/jts/geom/Coordinate.js').default;
  RelateOp: typeof import('jsts/org/locationtech/jts/operation/relate/RelateOp.js').default;
  DistanceOp: typeof import('jsts/org/locationtech/jts/operation/distance/DistanceOp.js').default;
};
type JstsGeometry = import('jsts/org/locationtech/jts/geom/Geometry.js').default;

const moduleOf = <T>(path: string) => onFirstUse<{ default: T }>(`jsts/org/locationtech/jts/${path}.js`);
const loaders = {
  GeometryFactory: moduleOf<Jsts['GeometryFactory']>('geom/GeometryFactory'),
  Coordinate: moduleOf<Jsts['Coordinate']>('geom/Coordinate'),
  RelateOp: moduleOf<Jsts['RelateOp']>('operation/relate/RelateOp'),
  DistanceOp: moduleOf<Jsts['DistanceOp']>('operation/distance/DistanceOp'),
};

/** JTS (through jsts) is loaded by the first geo query: stores without geo columns never pay for it. */
let jsts: (Jsts & { factory: InstanceType<Jsts['GeometryFactory']> }) | undefined;
function geometryLibrary() {
  if (!jsts) {
    const parts = {
      GeometryFactory: loaders.GeometryFactory().default,
      Coordinate: loaders.Coordinate().default,
      RelateOp: loaders.RelateOp().default,
      DistanceOp: loaders.DistanceOp().default,
    };
    jsts = { ...parts, factory: new parts.GeometryFactory() };
  }
  return jsts;
}

function toJsts(geometry: Geometry): JstsGeometry {
  const { factory, Coordinate } = geometryLibrary();
  const coordinates = (points: readonly [number, number][]) => points.map(([x, y]) => new Coordinate(x, y));
  switch (geometry.type) {
    case 'point':
      return factory.createPoint(coordinates([geometry.coordinates])[0]);
    case 'linestring':
      return factory.createLineString(coordinates(geometry.coordinates));
    case 'polygon': {
      const [shell, ...holes] = geometry.coordinates.map((ring) => factory.createLinearRing(coordinates(ring)));
      return factory.createPolygon(shell, holes);
    }
  }
}

/** The query's geometry is the same text on every row of a statement: parse it once. */
const queryCache = new Map<string, JstsGeometry | null>();
const QUERY_CACHE_SIZE = 64;

function queryGeometryOf(text: string): JstsGeometry | null {
  let geometry = queryCache.get(text);
  if (geometry === undefined) {
    const parsed = readStoredGeometry(text);
    geometry = parsed ? toJsts(parsed) : null;
    if (queryCache.size >= QUERY_CACHE_SIZE) queryCache.clear();
    queryCache.set(text, geometry);
  }
  return geometry;
}

function storedGeometryOf(value: unknown): Geometry | undefined {
  return typeof value === 'string' ? readStoredGeometry(value) : undefined;
}

/** Points 0, lines 1, polygons 2 (each subclass has getDimension; the shipped types omit it). */
function dimensionOf(geometry: JstsGeometry): number {
  return (geometry as unknown as { getDimension(): number }).getDimension();
}

/** The DE-9IM relation JTS computes, read as PostGIS reads it for each predicate. */
function relates(relation: SpatialRelation, a: JstsGeometry, b: JstsGeometry): boolean {
  const matrix = geometryLibrary().RelateOp.relate(a, b);
  const [dimA, dimB] = [dimensionOf(a), dimensionOf(b)];
  switch (relation) {
    case 'equals':
      return matrix.isEquals(dimA, dimB);
    case 'intersects':
      return matrix.isIntersects();
    case 'crosses':
      return matrix.isCrosses(dimA, dimB);
    case 'overlaps':
      return matrix.isOverlaps(dimA, dimB);
    case 'touches':
      return matrix.isTouches(dimA, dimB);
    case 'covers':
      return matrix.isCovers();
  }
}

/**
 * Gives the connection the functions geo queries and R*Tree indexes run on, each NULL for a
 * NULL (or unreadable) stored value so that neither a filter nor its negation matches it:
 * - plinth_geo_relate(relation, stored, query): 1 when the OGC predicate holds, else 0;
 * - plinth_geo_distance(stored, query, meters): planar distance in degrees, or great-circle
 *   meters between points;
 * - plinth_geo_bbox(stored, i): the bounding box's minX, minY, maxX or maxY (i = 0..3).
 */
export function registerGeometry(connection: BetterSqlite3.Database): void {
  connection.function('plinth_geo_relate', { deterministic: true }, (relation: unknown, stored: unknown, query: unknown) => {
    const geometry = storedGeometryOf(stored);
    const other = typeof query === 'string' ? queryGeometryOf(query) : null;
    if (!geometry || !other) return null;
    return relates(relation as SpatialRelation, toJsts(geometry), other) ? 1 : 0;
  });
  connection.function('plinth_geo_distance', { deterministic: true }, (stored: unknown, query: unknown, meters: unknown) => {
    const geometry = storedGeometryOf(stored);
    if (!geometry || typeof query !== 'string') return null;
    if (meters === 1) {
      const other = readStoredGeometry(query);
      if (geometry.type !== 'point' || other?.type !== 'point') return null;
      return sphereDistanceMeters(geometry.coordinates, other.coordinates);
    }
    const other = queryGeometryOf(query);
    return other ? geometryLibrary().DistanceOp.distance(toJsts(geometry), other) : null;
  });
  connection.function('plinth_geo_bbox', { deterministic: true }, (stored: unknown, corner: unknown) => {
    const geometry = storedGeometryOf(stored);
    return geometry && typeof corner === 'number' ? (boundingBox(geometry)[corner] ?? null) : null;
  });
}
