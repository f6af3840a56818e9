import { AppError } from './errors.js';
import { queryGeometry, type Geometry, type GeometryType } from './geometry.js';

/** Relations between a stored geometry and the query's, as the OGC predicates name them. */
export type SpatialRelation = 'equals' | 'intersects' | 'crosses' | 'overlaps' | 'touches' | 'covers';
export type DistanceOp = 'equal' | 'notEqual' | 'greaterThan' | 'lessThan';

export type SpatialFilter =
  /** `covers` is `contains` on a geo attribute: boundary points count as inside, as Appwrite matches them. */
  | { kind: 'spatial'; relation: SpatialRelation; negate: boolean; attribute: string; geometry: Geometry }
  /** `meters`: great-circle distance between points; otherwise planar distance in degrees. */
  | { kind: 'distance'; op: DistanceOp; attribute: string; geometry: Geometry; distance: number; meters: boolean };

const RELATION_METHODS: Readonly<Record<string, { relation: SpatialRelation; negate: boolean }>> = {
  intersects: { relation: 'intersects', negate: false },
  notIntersects: { relation: 'intersects', negate: true },
  crosses: { relation: 'crosses', negate: false },
  notCrosses: { relation: 'crosses', negate: true },
  overlaps: { relation: 'overlaps', negate: false },
  notOverlaps: { relation: 'overlaps', negate: true },
  touches: { relation: 'touches', negate: false },
  notTouches: { relation: 'touches', negate: true },
};
/** Generic methods that mean a spatial relation when they name a geo attribute. */
const GENERIC_METHODS: Readonly<Record<string, { relation: SpatialRelation; negate: boolean }>> = {
  equal: { relation: 'equals', negate: false },
  notEqual: { relation: 'equals', negate: true },
  contains: { relation: 'covers', negate: false },
  notContains: { relation: 'covers', negate: true },
};
const DISTANCE_METHODS: Readonly<Record<string, DistanceOp>> = {
  distanceEqual: 'equal',
  distanceNotEqual: 'notEqual',
  distanceGreaterThan: 'greaterThan',
  distanceLessThan: 'lessThan',
};

export function isSpatialMethod(method: string): boolean {
  return Object.hasOwn(RELATION_METHODS, method) || Object.hasOwn(DISTANCE_METHODS, method);
}

interface SpatialQuery {
  method: string;
  attribute: string;
  values: unknown[];
}

function invalid(message: string): AppError {
  return new AppError('general_query_invalid', `Invalid query: ${message}`);
}

/**
 * A query on a geo attribute (`type`) or a spatial method on any other (`type` undefined,
 * refused); undefined when neither, for the generic parser to take.
 */
export function parseSpatialFilter(query: SpatialQuery, type: GeometryType | undefined): SpatialFilter | undefined {
  const { method, attribute } = query;
  if (type === undefined) {
    if (isSpatialMethod(method)) throw invalid(`Spatial query "${method}" cannot be applied on non-spatial attribute: ${attribute}`);
    return undefined;
  }
  const distanceOp = DISTANCE_METHODS[method];
  if (distanceOp) return parseDistance(query, type, distanceOp);
  const relation = RELATION_METHODS[method] ?? GENERIC_METHODS[method];
  if (relation) {
    if (query.values.length !== 1) throw invalid(`${method} on a spatial attribute takes exactly one geometry`);
    return { kind: 'spatial', ...relation, attribute, geometry: geometryValue(query.values[0], method) };
  }
  if (method === 'isNull' || method === 'isNotNull') return undefined;
  throw invalid(`Cannot query ${method} on spatial attribute "${attribute}"`);
}

function parseDistance(query: SpatialQuery, type: GeometryType, op: DistanceOp): SpatialFilter {
  const [params, ...rest] = query.values;
  if (rest.length > 0 || !Array.isArray(params) || params.length !== 3) {
    throw invalid('Distance query requires [[geometry, distance, meters]] parameters');
  }
  const [rawGeometry, distance, meters] = params as [unknown, unknown, unknown];
  if (typeof distance !== 'number' || !Number.isFinite(distance)) throw invalid(`${query.method} needs a numeric distance`);
  if (typeof meters !== 'boolean') throw invalid(`${query.method} needs meters as a boolean`);
  const geometry = geometryValue(rawGeometry, query.method);
  // Meters are measured on a sphere between points only, as Appwrite's engine measures them.
  if (meters && (type !== 'point' || geometry.type !== 'point')) {
    throw invalid(`Distance in meters is not supported between ${type} and ${geometry.type}`);
  }
  return { kind: 'distance', op, attribute: query.attribute, geometry, distance, meters };
}

function geometryValue(value: unknown, method: string): Geometry {
  const checked = queryGeometry(value);
  if ('error' in checked) throw invalid(`${method}: ${checked.error}`);
  return checked.value;
}
