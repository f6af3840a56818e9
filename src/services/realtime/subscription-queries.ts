import { AppError } from '../../core/errors.js';
import { queryGeometry, sameGeometry, type Geometry, type GeometryType } from '../../core/geometry.js';
import { parseListQueries, type Filter, type Scalar } from '../../core/queries.js';

/** The methods a subscription may filter with; everything else needs a database. */
const ALLOWED_METHODS: ReadonlySet<string> = new Set([
  'equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual',
  'isNull', 'isNotNull', 'and', 'or', 'select',
]);

/** A subscription's filter: the queries as sent, and what they compile to (empty: every event). */
export interface SubscriptionFilter {
  queries: string[];
  filters: Filter[];
}

export const MATCH_ALL: SubscriptionFilter = { queries: [], filters: [] };

function invalid(message: string): AppError {
  return new AppError('general_query_invalid', message);
}

/** Walks the raw query JSON: every method must be allowed; returns the attribute names used. */
function collectAttributes(json: unknown, into: Set<string>, geometries: Record<string, GeometryType>): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('Invalid query: Syntax error');
  const { method, attribute, values } = json as Record<string, unknown>;
  if (typeof method !== 'string') throw invalid('Invalid query: Syntax error');
  if (!ALLOWED_METHODS.has(method)) throw invalid(`Invalid query: Method not supported for realtime: ${method}`);
  if (method === 'select') {
    if (!Array.isArray(values) || values.length !== 1 || values[0] !== '*') throw invalid('Invalid query: realtime only supports select(["*"])');
    return;
  }
  if (method === 'and' || method === 'or') {
    if (Array.isArray(values)) for (const nested of values) collectAttributes(nested, into, geometries);
    return;
  }
  if (typeof attribute === 'string' && attribute !== '') {
    into.add(attribute);
    // An equality on a coordinate array compares geo values, as a geo column's payload holds them.
    const [first] = Array.isArray(values) ? values : [];
    if ((method === 'equal' || method === 'notEqual') && Array.isArray(first)) {
      const geometry = queryGeometry(first);
      if ('value' in geometry) geometries[attribute] = geometry.value.type;
    }
  }
}

/** Parses a subscription's queries with the shared query parser, any payload attribute allowed. */
export function parseSubscriptionQueries(queries: readonly string[]): SubscriptionFilter {
  if (queries.length === 0) return MATCH_ALL;
  const attributes = new Set<string>();
  const geometries: Record<string, GeometryType> = {};
  for (const text of queries) {
    if (typeof text !== 'string') throw invalid('Invalid query: Syntax error');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw invalid('Invalid query: Syntax error');
    }
    collectAttributes(json, attributes, geometries);
  }
  const parsed = parseListQueries(queries, { attributes: [...attributes], geometries });
  return { queries: [...queries], filters: parsed.filters };
}

/** Whether an event's payload passes every filter of a subscription. */
export function payloadMatches(filters: readonly Filter[], payload: unknown): boolean {
  if (filters.length === 0) return true;
  const record = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  return filters.every((filter) => filterMatches(filter, record));
}

function filterMatches(filter: Filter, record: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'logical':
      return filter.op === 'and'
        ? filter.filters.every((nested) => filterMatches(nested, record))
        : filter.filters.some((nested) => filterMatches(nested, record));
    case 'null': {
      const value = record[filter.attribute];
      const isNull = value === null || value === undefined;
      return filter.negate ? !isNull : isNull;
    }
    case 'compare': {
      const value = record[filter.attribute];
      // An array attribute matches when one of its elements does.
      const candidates = Array.isArray(value) ? value : [value];
      if (filter.op === 'notEqual') return !candidates.some((candidate) => filter.values.some((expected) => sameValue(candidate, expected)));
      return candidates.some((candidate) => filter.values.some((expected) => compareMatches(filter.op, candidate, expected)));
    }
    case 'spatial': {
      if (filter.relation !== 'equals') return false;
      const value = record[filter.attribute];
      const same = Array.isArray(value) && sameGeometry({ ...filter.geometry, coordinates: value } as Geometry, filter.geometry);
      return filter.negate ? !same : same;
    }
    default:
      return false;
  }
}

function sameValue(actual: unknown, expected: Scalar): boolean {
  if (actual === undefined) return expected === null;
  return actual === expected;
}

function compareMatches(op: string, actual: unknown, expected: Scalar): boolean {
  if (op === 'equal') return sameValue(actual, expected);
  if (expected === null || actual === null || actual === undefined) return false;
  if (typeof actual !== typeof expected || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
  const a = actual as number | string;
  const b = expected as number | string;
  switch (op) {
    case 'lessThan':
      return a < b;
    case 'lessThanEqual':
      return a <= b;
    case 'greaterThan':
      return a > b;
    case 'greaterThanEqual':
      return a >= b;
    default:
      return false;
  }
}
