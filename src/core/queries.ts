import { AppError } from './errors.js';
import type { GeometryType } from './geometry.js';
import { compileRegex } from './regex.js';
import { parseExactJson } from './exact-json.js';
import { isSpatialMethod, parseSpatialFilter, type SpatialFilter } from './spatial-queries.js';

/** What a list endpoint lets its queries name. */
export interface QuerySchema {
  /** Attributes a filter or order may name; `$id`, `$createdAt` and `$updatedAt` are always allowed, as Appwrite does. */
  attributes: readonly string[];
  /** The page size when no `limit` query is given; 25 unless said otherwise. */
  defaultLimit?: number;
  /**
   * Document lists: `contains` also takes numbers and booleans (array elements), given as
   * their text. System lists leave this off and keep string-only values.
   */
  documents?: boolean;
  /** Document lists: the geo attributes and their types, which take the spatial methods. */
  geometries?: Readonly<Record<string, GeometryType>>;
  /**
   * Lists whose entries are whole models (the databases schema lists): `select` is refused as
   * an invalid `queries` param, as Appwrite's validator for them does.
   */
  noSelect?: boolean;
}

interface ParseScope {
  allowed: ReadonlySet<string>;
  documents: boolean;
  geometries?: Readonly<Record<string, GeometryType>>;
  /** Regex filters parsed so far, nested ones included. */
  regexes: number;
}

/** BigInt: an integer past 2^53, for bigint attributes. */
export type Scalar = string | number | bigint | boolean | null;

export type CompareOp = 'equal' | 'notEqual' | 'lessThan' | 'lessThanEqual' | 'greaterThan' | 'greaterThanEqual';
export type TextOp = 'startsWith' | 'endsWith' | 'contains';

export type Filter =
  | { kind: 'compare'; op: CompareOp; attribute: string; values: Scalar[] }
  | { kind: 'null'; negate: boolean; attribute: string }
  | { kind: 'between'; negate: boolean; attribute: string; low: Scalar; high: Scalar }
  /** `every`: all values must match (containsAll); otherwise any one does. */
  | { kind: 'text'; op: TextOp; negate: boolean; attribute: string; values: string[]; every?: boolean }
  | { kind: 'search'; negate: boolean; attribute: string; term: string }
  /** Document lists: the pattern is one RE2 compiles (checked here), so it matches in linear time. */
  | { kind: 'regex'; attribute: string; pattern: string }
  | SpatialFilter
  | { kind: 'logical'; op: 'and' | 'or'; filters: Filter[] };

/**
 * The attribute of an order that names none (`{"method":"orderDesc"}`): the order rows were
 * stored in, as Appwrite orders such a query by its internal sequence. Values are ignored.
 */
export const STORED_ORDER = '';

export interface ListOrder {
  /** An attribute allowed by the list, or STORED_ORDER. */
  attribute: string;
  direction: 'asc' | 'desc';
}

export interface ListCursor {
  direction: 'after' | 'before';
  id: string;
}

export interface ParsedList {
  filters: Filter[];
  orders: ListOrder[];
  limit: number;
  offset: number;
  cursor?: ListCursor;
  select?: string[];
  /** orderRandom (document lists only): a random order, which no cursor can follow. */
  random?: boolean;
}

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 5000;
export const MAX_QUERIES = 100;
export const MAX_QUERY_LENGTH = 4096;
export const MAX_VALUES = 500;
/** Each regex of a query may hold megabytes of matcher state while it runs: a few are enough. */
export const MAX_REGEX_FILTERS = 5;

const ALWAYS_ALLOWED = ['$id', '$createdAt', '$updatedAt'];

const COMPARE_OPS: readonly string[] = ['equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual'];
const TEXT_METHODS: Readonly<Record<string, { op: TextOp; negate: boolean }>> = {
  startsWith: { op: 'startsWith', negate: false },
  notStartsWith: { op: 'startsWith', negate: true },
  endsWith: { op: 'endsWith', negate: false },
  notEndsWith: { op: 'endsWith', negate: true },
  contains: { op: 'contains', negate: false },
  notContains: { op: 'contains', negate: true },
};
/** Methods the SDKs send that these lists do not support (arrays, geo, vectors, random order). */
const UNSUPPORTED = new Set([
  'exists', 'notExists', 'containsAny', 'containsAll', 'regex', 'elemMatch', 'orderRandom',
  'distanceEqual', 'distanceNotEqual', 'distanceGreaterThan', 'distanceLessThan',
  'intersects', 'notIntersects', 'crosses', 'notCrosses', 'overlaps', 'notOverlaps', 'touches', 'notTouches',
  'vectorDot', 'vectorCosine', 'vectorEuclidean',
]);

interface RawQuery {
  method: string;
  attribute: string | undefined;
  values: unknown[];
}

function invalid(message: string): AppError {
  return new AppError('general_query_invalid', message);
}

/** Parses the SDK's query strings into filters, orders and paging, checked against the schema. */
export function parseListQueries(raw: readonly string[], schema: QuerySchema): ParsedList {
  if (raw.length > MAX_QUERIES) throw invalid(`Invalid query: Too many queries, the maximum is ${MAX_QUERIES}`);
  const allowed = new Set([...schema.attributes, ...ALWAYS_ALLOWED]);
  const scope: ParseScope = { allowed, documents: schema.documents === true, regexes: 0, ...(schema.geometries ? { geometries: schema.geometries } : {}) };
  const list: ParsedList = { filters: [], orders: [], limit: DEFAULT_LIMIT, offset: 0 };
  // As Appwrite does, the first limit, offset and cursor win.
  let limit: number | undefined;
  let offset: number | undefined;

  for (const text of raw) {
    if (typeof text !== 'string' || text.length > MAX_QUERY_LENGTH) throw invalid('Invalid query: Syntax error');
    let json: unknown;
    try {
      json = parseExactJson(text);
    } catch {
      throw invalid('Invalid query: Syntax error');
    }
    const query = readQuery(json);
    switch (query.method) {
      case 'orderAsc':
      case 'orderDesc':
        list.orders.push({
          attribute: query.attribute === undefined ? STORED_ORDER : knownAttribute(query, allowed),
          direction: query.method === 'orderAsc' ? 'asc' : 'desc',
        });
        break;
      case 'limit':
        limit ??= integerValue(query, MAX_LIMIT);
        break;
      case 'offset':
        offset ??= integerValue(query, Number.MAX_SAFE_INTEGER);
        break;
      case 'cursorAfter':
      case 'cursorBefore':
        list.cursor ??= { direction: query.method === 'cursorAfter' ? 'after' : 'before', id: cursorValue(query) };
        break;
      case 'select':
        if (schema.noSelect) throw new AppError('general_argument_invalid', 'Invalid `queries` param: Invalid query method: select');
        list.select = [...(list.select ?? []), ...stringValues(query)];
        break;
      case 'orderRandom':
        if (!scope.documents) throw invalid('Invalid query: Method not supported for this list: orderRandom');
        list.random = true;
        break;
      default:
        list.filters.push(parseFilter(query, scope));
    }
  }
  if (list.random && (list.cursor || list.orders.length > 0)) {
    throw invalid('Invalid query: orderRandom cannot be combined with other orders or a cursor');
  }
  list.limit = limit ?? schema.defaultLimit ?? DEFAULT_LIMIT;
  list.offset = offset ?? 0;
  return list;
}

function readQuery(json: unknown): RawQuery {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('Invalid query: Syntax error');
  const { method, attribute, values } = json as Record<string, unknown>;
  if (typeof method !== 'string') throw invalid('Invalid query: Syntax error');
  if (attribute !== undefined && typeof attribute !== 'string') throw invalid('Invalid query: Syntax error');
  if (values !== undefined && !Array.isArray(values)) throw invalid('Invalid query: Syntax error');
  return { method, attribute: attribute || undefined, values: values ?? [] };
}

function parseFilter(query: RawQuery, scope: ParseScope): Filter {
  const { method } = query;
  const { allowed } = scope;
  if (scope.geometries && query.attribute !== undefined && (isSpatialMethod(method) || Object.hasOwn(scope.geometries, query.attribute))) {
    const attribute = knownAttribute(query, allowed);
    const spatial = parseSpatialFilter({ method, attribute, values: query.values }, scope.geometries[attribute]);
    if (spatial) return spatial;
  }
  if (scope.documents) {
    const documentFilter = parseDocumentFilter(query, scope);
    if (documentFilter) return documentFilter;
  }
  if (UNSUPPORTED.has(method)) throw invalid(`Invalid query: Method not supported for this list: ${method}`);
  if (method === 'and' || method === 'or') return parseLogical(query, scope);
  const known = COMPARE_OPS.includes(method) || method in TEXT_METHODS ||
    ['isNull', 'isNotNull', 'between', 'notBetween', 'search', 'notSearch'].includes(method);
  if (!known) throw invalid(`Invalid query method: ${method}`);

  const attribute = knownAttribute(query, allowed);
  if (query.values.length > MAX_VALUES) throw invalid(`Invalid query: ${method} takes at most ${MAX_VALUES} values`);

  if (COMPARE_OPS.includes(method)) {
    const values = scalarValues(query);
    const single = method !== 'equal' && method !== 'notEqual';
    if (values.length === 0) throw invalid(`Invalid query: ${method} needs a value`);
    if (single && (values.length !== 1 || values[0] === null)) throw invalid(`Invalid query: ${method} takes exactly one value`);
    return { kind: 'compare', op: method as CompareOp, attribute, values };
  }
  const text = TEXT_METHODS[method];
  if (text) {
    const values = scope.documents && text.op === 'contains' ? scalarValues(query).filter((v) => v !== null).map(String) : stringValues(query);
    if (values.length === 0) throw invalid(`Invalid query: ${method} needs a value`);
    return { kind: 'text', ...text, attribute, values };
  }
  switch (method) {
    case 'isNull':
    case 'isNotNull':
      return { kind: 'null', negate: method === 'isNotNull', attribute };
    case 'between':
    case 'notBetween': {
      const values = scalarValues(query);
      const [low, high] = values;
      if (values.length !== 2 || low == null || high == null) throw invalid(`Invalid query: ${method} takes exactly two values`);
      return { kind: 'between', negate: method === 'notBetween', attribute, low, high };
    }
    default: {
      const [term, ...rest] = stringValues(query);
      if (term === undefined || rest.length > 0) throw invalid(`Invalid query: ${method} takes exactly one value`);
      return { kind: 'search', negate: method === 'notSearch', attribute, term };
    }
  }
}

/** Methods only document lists take: array element matches and attribute presence. */
function parseDocumentFilter(query: RawQuery, scope: ParseScope): Filter | undefined {
  const { method } = query;
  if (method === 'containsAny' || method === 'containsAll') {
    const attribute = knownAttribute(query, scope.allowed);
    if (query.values.length > MAX_VALUES) throw invalid(`Invalid query: ${method} takes at most ${MAX_VALUES} values`);
    const values = scalarValues(query).filter((v) => v !== null).map(String);
    if (values.length === 0) throw invalid(`Invalid query: ${method} needs a value`);
    return { kind: 'text', op: 'contains', negate: false, attribute, values, ...(method === 'containsAll' ? { every: true } : {}) };
  }
  if (method === 'regex') return parseRegex(query, scope);
  if (method === 'exists' || method === 'notExists') {
    // The attributes travel as the values; each must hold a value (exists) or none (notExists).
    const attributes = stringValues(query);
    if (attributes.length === 0) throw invalid(`Invalid query: ${method} needs at least one attribute`);
    const filters = attributes.map((attribute): Filter => {
      if (!scope.allowed.has(attribute)) throw invalid(`Invalid query: Attribute not found in schema: ${attribute}`);
      return { kind: 'null', negate: method === 'exists', attribute };
    });
    return filters.length === 1 ? filters[0]! : { kind: 'logical', op: 'and', filters };
  }
  return undefined;
}

/**
 * A regular expression match. Checked here with RE2, the engine SQLite runs it on, so a broken
 * or backtracking-only pattern (backreference, lookaround) fails before any SQL. PostgreSQL
 * runs it as a POSIX ARE: the common subset (anchors, classes, `.`, alternation, groups,
 * quantifiers, \d \w \s) behaves the same; RE2-only syntax it does not know is refused there.
 */
function parseRegex(query: RawQuery, scope: ParseScope): Filter {
  const attribute = knownAttribute(query, scope.allowed);
  const [pattern, ...rest] = stringValues(query);
  if (pattern === undefined || rest.length > 0) throw invalid('Invalid query: regex takes exactly one pattern');
  if (compileRegex(pattern) === undefined) throw invalid('Invalid query: regex pattern is not a valid regular expression');
  if (++scope.regexes > MAX_REGEX_FILTERS) throw invalid(`Invalid query: at most ${MAX_REGEX_FILTERS} regex filters per list`);
  return { kind: 'regex', attribute, pattern };
}

/** `and`/`or` carry nested query objects, which may only be filters. */
function parseLogical(query: RawQuery, scope: ParseScope): Filter {
  if (query.values.length === 0) throw invalid(`Invalid query: ${query.method} needs at least one query`);
  if (query.values.length > MAX_VALUES) throw invalid(`Invalid query: ${query.method} takes at most ${MAX_VALUES} queries`);
  const filters = query.values.map((value) => {
    const nested = readQuery(value);
    if (['orderAsc', 'orderDesc', 'limit', 'offset', 'cursorAfter', 'cursorBefore', 'select'].includes(nested.method)) {
      throw invalid(`Invalid query: ${query.method} may only contain filters, not ${nested.method}`);
    }
    return parseFilter(nested, scope);
  });
  return { kind: 'logical', op: query.method as 'and' | 'or', filters };
}

function knownAttribute(query: RawQuery, allowed: ReadonlySet<string>): string {
  const { attribute } = query;
  if (attribute === undefined) throw invalid(`Invalid query: ${query.method} needs an attribute`);
  if (!allowed.has(attribute)) throw invalid(`Invalid query: Attribute not found in schema: ${attribute}`);
  return attribute;
}

function scalarValues(query: RawQuery): Scalar[] {
  return query.values.map((value) => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return value;
    throw invalid(`Invalid query: ${query.method} values must be strings, numbers, booleans or null`);
  });
}

function stringValues(query: RawQuery): string[] {
  return query.values.map((value) => {
    if (typeof value !== 'string') throw invalid(`Invalid query: ${query.method} values must be strings`);
    return value;
  });
}

function integerValue(query: RawQuery, max: number): number {
  const [value] = query.values;
  if (query.values.length !== 1 || typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(`Invalid query: ${query.method} must be an integer between 0 and ${max}`);
  }
  return value;
}

function cursorValue(query: RawQuery): string {
  const [value] = query.values;
  if (query.values.length !== 1 || typeof value !== 'string' || value === '') {
    throw invalid(`Invalid query: ${query.method} needs the id of an item`);
  }
  return value;
}
