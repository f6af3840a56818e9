/**
 * Geo values as the API carries them: coordinate arrays of longitude/latitude pairs, the
 * way Appwrite's spatial attributes take and return them. A point is [x, y], a line
 * [[x, y], …] (two points or more), a polygon [[[x, y], …], …] (closed rings of four points
 * or more, the first the outer boundary, the others holes); a polygon of one ring may be
 * given without its outer brackets.
 */

export const GEOMETRY_TYPES = ['point', 'linestring', 'polygon'] as const;
export type GeometryType = (typeof GEOMETRY_TYPES)[number];

export type Position = [number, number];
export type Geometry =
  | { type: 'point'; coordinates: Position }
  | { type: 'linestring'; coordinates: Position[] }
  | { type: 'polygon'; coordinates: Position[][] };

/** The spatial reference every geometry is stored in: WGS 84 longitude/latitude. */
export const GEOMETRY_SRID = 4326;

/** The sphere radius of distances in meters, the one Appwrite's engine measures with. */
export const EARTH_RADIUS_METERS = 6_371_000;

export function isGeometryType(type: string): type is GeometryType {
  return (GEOMETRY_TYPES as readonly string[]).includes(type);
}

type Checked = { error: string } | { value: Geometry };

/** Why the value is not a geometry of the type, or the geometry it is (numbers normalised). */
export function checkGeometry(type: GeometryType, value: unknown): Checked {
  const result = readGeometry(type, value);
  return 'error' in result ? { error: `Value must be a valid ${type}: ${result.error}` } : result;
}

/**
 * The geometry a query names, its type read from how deeply its coordinates nest (a
 * number first: a point; a pair first: a line; a ring first: a polygon).
 */
export function queryGeometry(value: unknown): Checked {
  if (!Array.isArray(value) || value.length === 0) return { error: 'Spatial data must be a non-empty array' };
  const first = value[0];
  const type: GeometryType = !Array.isArray(first) ? 'point' : Array.isArray(first[0]) ? 'polygon' : 'linestring';
  return checkGeometry(type, value);
}

function readGeometry(type: GeometryType, value: unknown): Checked {
  if (!Array.isArray(value)) return { error: 'Spatial value must be an array' };
  switch (type) {
    case 'point': {
      if (value.length !== 2) return { error: 'Point must be an array of two numeric values [x, y]' };
      const point = position(value);
      if (!point) return { error: 'Point coordinates must be numeric values' };
      const range = rangeError(point);
      return range ? { error: range } : { value: { type, coordinates: point } };
    }
    case 'linestring': {
      if (value.length < 2) return { error: 'LineString must contain at least two points' };
      const points: Position[] = [];
      for (const [index, raw] of value.entries()) {
        const point = Array.isArray(raw) && raw.length === 2 ? position(raw) : undefined;
        if (!point) return { error: 'Each point in LineString must be an array of two numeric values [x, y]' };
        const range = rangeError(point);
        if (range) return { error: `Invalid coordinates at point #${index}: ${range}` };
        points.push(point);
      }
      return { value: { type, coordinates: points } };
    }
    case 'polygon':
      return readPolygon(value);
  }
}

function readPolygon(value: unknown[]): Checked {
  if (value.length === 0) return { error: 'Polygon must contain at least one ring' };
  const first = value[0];
  const singleRing = Array.isArray(first) && first.length === 2 && !Array.isArray(first[0]);
  const rings = singleRing ? [value] : value;
  const result: Position[][] = [];
  for (const [ringIndex, ring] of rings.entries()) {
    if (!Array.isArray(ring) || ring.length === 0) return { error: `Ring #${ringIndex} must be an array of points` };
    if (ring.length < 4) return { error: `Ring #${ringIndex} must contain at least 4 points to form a closed polygon` };
    const points: Position[] = [];
    for (const [pointIndex, raw] of ring.entries()) {
      const point = Array.isArray(raw) && raw.length === 2 ? position(raw) : undefined;
      if (!point) return { error: `Point #${pointIndex} in ring #${ringIndex} must be an array of two numeric values [x, y]` };
      const range = rangeError(point);
      if (range) return { error: `Invalid coordinates at point #${pointIndex} in ring #${ringIndex}: ${range}` };
      points.push(point);
    }
    const [head, tail] = [points[0]!, points[points.length - 1]!];
    if (head[0] !== tail[0] || head[1] !== tail[1]) return { error: `Ring #${ringIndex} must be closed (first point must equal last point)` };
    result.push(points);
  }
  return { value: { type: 'polygon', coordinates: result } };
}

/** Numbers, or numeric strings as form fields send them. */
function position(raw: unknown[]): Position | undefined {
  const numbers = raw.map((n) => (typeof n === 'number' ? n : typeof n === 'string' && n.trim() !== '' ? Number(n) : NaN));
  return numbers.every((n) => Number.isFinite(n)) ? [numbers[0]!, numbers[1]!] : undefined;
}

function rangeError([x, y]: Position): string | undefined {
  if (x < -180 || x > 180) return `Longitude (x) must be between -180 and 180, got ${x}`;
  if (y < -90 || y > 90) return `Latitude (y) must be between -90 and 90, got ${y}`;
  return undefined;
}

/** Whether two geometries have the same type and the same coordinates in the same order. */
export function sameGeometry(a: Geometry, b: Geometry): boolean {
  return a.type === b.type && JSON.stringify(a.coordinates) === JSON.stringify(b.coordinates);
}

/** The smallest box holding the geometry: [minX, minY, maxX, maxY]. */
export function boundingBox(geometry: Geometry): [number, number, number, number] {
  const points = positionsOf(geometry);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function positionsOf(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'point':
      return [geometry.coordinates];
    case 'linestring':
      return geometry.coordinates;
    case 'polygon':
      return geometry.coordinates.flat();
  }
}

/** Great-circle distance in meters between two points on Appwrite's sphere (haversine). */
export function sphereDistanceMeters([x1, y1]: Position, [x2, y2]: Position): number {
  const rad = Math.PI / 180;
  const dLat = (y2 - y1) * rad;
  const dLon = (x2 - x1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(y1 * rad) * Math.cos(y2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}
