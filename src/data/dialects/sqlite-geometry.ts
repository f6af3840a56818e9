import type BetterSqlite3 from 'better-sqlite3';
import { boundingBox, sphereDistanceMeters, type Geometry } from '../../core/geometry.js';
import { readStoredGeometry } from '../../core/geometry-text.js';
import type { SpatialRelation } from '../../core/spatial-queries.js';
import { onFirstUse } from '../../core/load-package.js';

type Jsts = {
  GeometryFactory: typeof import('jsts/org/locationtech/jts/geom/GeometryFactory.js').default;
  Coordinate: typeof import('jsts/org/locationtech/jts/geom/Coordinate.js').default;
};
/**
 * JTS geometries with the predicates jsts adds to them when its `monkey` module loads
 * (its types leave them out). They take the fast paths JTS has (rectangles, point in area)
 * and fall back to the full intersection matrix only where a predicate needs it.
 */
type JstsGeometry = import('jsts/org/locationtech/jts/geom/Geometry.js').default & {
  equalsTopo(other: JstsGeometry): boolean;
  intersects(other: JstsGeometry): boolean;
  crosses(other: JstsGeometry): boolean;
  overlaps(other: JstsGeometry): boolean;
  touches(other: JstsGeometry): boolean;
  covers(other: JstsGeometry): boolean;
  distance(other: JstsGeometry): number;
};

const moduleOf = <T>(path: string) => onFirstUse<{ default: T }>(`jsts/org/locationtech/jts/${path}.js`);
const loaders = {
  GeometryFactory: moduleOf<Jsts['GeometryFactory']>('geom/GeometryFactory'),
  Coordinate: moduleOf<Jsts['Coordinate']>('geom/Coordinate'),
  predicates: onFirstUse<unknown>('jsts/org/locationtech/jts/monkey.js'),
};

/** JTS (through jsts) is loaded by the first geo query: stores without geo columns never pay for it. */
let jsts: (Jsts & { factory: InstanceType<Jsts['GeometryFactory']> }) | undefined;
function geometryLibrary() {
  if (!jsts) {
    loaders.predicates();
    const parts = { GeometryFactory: loaders.GeometryFactory().default, Coordinate: loaders.Coordinate().default };
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
interface QueryGeometry {
  plain: Geometry;
  jsts: JstsGeometry;
  box: Box;
}
type Box = [number, number, number, number];

function boxesMeet(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
const queryCache = new Map<string, QueryGeometry | null>();
const QUERY_CACHE_SIZE = 64;

function queryGeometryOf(text: string): QueryGeometry | null {
  let geometry = queryCache.get(text);
  if (geometry === undefined) {
    const plain = readStoredGeometry(text);
    geometry = plain ? { plain, jsts: toJsts(plain), box: boundingBox(plain) } : null;
    if (queryCache.size >= QUERY_CACHE_SIZE) queryCache.clear();
    queryCache.set(text, geometry);
  }
  return geometry;
}

function storedGeometryOf(value: unknown): Geometry | undefined {
  return typeof value === 'string' ? readStoredGeometry(value) : undefined;
}

/** The OGC predicate as JTS (and so PostGIS, whose engine is JTS's C++ port) reads it. */
function relates(relation: SpatialRelation, a: JstsGeometry, b: JstsGeometry): boolean {
  // Each predicate needs the boxes to meet (covers: to hold the other's); most rows fail here.
  const [boxA, boxB] = [a.getEnvelopeInternal(), b.getEnvelopeInternal()];
  if (relation === 'covers' ? !boxA.covers(boxB) : !boxA.intersects(boxB)) return false;
  switch (relation) {
    case 'equals':
      return a.equalsTopo(b);
    case 'intersects':
      return a.intersects(b);
    case 'crosses':
      return a.crosses(b);
    case 'overlaps':
      return a.overlaps(b);
    case 'touches':
      return a.touches(b);
    case 'covers':
      return a.covers(b);
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
    // Every predicate needs the boxes to meet: most rows are settled before building a JTS geometry.
    if (!boxesMeet(boundingBox(geometry), other.box)) return 0;
    return relates(relation as SpatialRelation, toJsts(geometry), other.jsts) ? 1 : 0;
  });
  connection.function('plinth_geo_distance', { deterministic: true }, (stored: unknown, query: unknown, meters: unknown) => {
    const geometry = storedGeometryOf(stored);
    const other = typeof query === 'string' ? queryGeometryOf(query) : null;
    if (!geometry || !other) return null;
    if (geometry.type === 'point' && other.plain.type === 'point') {
      const [a, b] = [geometry.coordinates, other.plain.coordinates];
      return meters === 1 ? sphereDistanceMeters(a, b) : Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
    // Meters between other shapes are refused when the query is parsed.
    return meters === 1 ? null : toJsts(geometry).distance(other.jsts);
  });
  connection.function('plinth_geo_bbox', { deterministic: true }, (stored: unknown, corner: unknown) => {
    const geometry = storedGeometryOf(stored);
    return geometry && typeof corner === 'number' ? (boundingBox(geometry)[corner] ?? null) : null;
  });
}
