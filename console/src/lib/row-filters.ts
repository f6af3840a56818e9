import { Query } from '@appwrite.io/console';
import { fromInput, inputKind, type Column } from './columns';

/** A filter the builder offers: the SDK's query method, how the chip writes it, and whether it takes a value. */
export interface FilterOperator {
  method: string;
  label: string;
  takesValue: boolean;
}

const op = (method: string, label: string, takesValue = true): FilterOperator => ({ method, label, takesValue });
const NULLS = [op('isNull', 'is null', false), op('isNotNull', 'is not null', false)];
const EQUALITY = [op('equal', '='), op('notEqual', '≠')];
const RANGE = [op('greaterThan', '>'), op('greaterThanEqual', '≥'), op('lessThan', '<'), op('lessThanEqual', '≤')];
const TEXT = [op('contains', 'contains'), op('startsWith', 'starts with'), op('endsWith', 'ends with')];

/** The row's own fields, filterable like columns. */
export const SYSTEM_COLUMNS: Column[] = [
  { key: '$id', type: 'string', status: 'available', required: true, size: 36 },
  { key: '$createdAt', type: 'datetime', status: 'available', required: true },
  { key: '$updatedAt', type: 'datetime', status: 'available', required: true },
];

/** The operators that fit a column's type; arrays, relationships and spatial columns only by presence (or an array's element). */
export function operatorsFor(column: Column): FilterOperator[] {
  if (column.array) return [op('contains', 'contains'), ...NULLS];
  switch (inputKind(column)) {
    case 'json':
      return NULLS;
    case 'boolean':
    case 'enum':
      return [...EQUALITY, ...NULLS];
    case 'integer':
    case 'float':
    case 'datetime':
      return [...EQUALITY, ...RANGE, ...NULLS];
    default:
      return [...EQUALITY, ...TEXT, ...NULLS];
  }
}

/** The value an array column's `contains` compares with: one element, typed as the column's elements are. */
function elementValue(column: Column, text: string): unknown {
  return fromInput({ ...column, array: false }, text);
}

/** The SDK query string for a filter; throws on a value the column cannot hold. */
export function buildFilter(column: Column, method: string, text: string): string {
  const operator = operatorsFor(column).find((candidate) => candidate.method === method);
  if (!operator) throw new Error(`${column.key} cannot be filtered with ${method}`);
  if (!operator.takesValue) return method === 'isNull' ? Query.isNull(column.key) : Query.isNotNull(column.key);
  const value = column.array ? elementValue(column, text) : fromInput(column, text);
  if (value === null) throw new Error(`${column.key}: a value is needed`);
  const scalar = value as string | number | boolean;
  switch (method) {
    case 'equal':
      return Query.equal(column.key, scalar);
    case 'notEqual':
      return Query.notEqual(column.key, scalar);
    case 'greaterThan':
      return Query.greaterThan(column.key, scalar as string | number);
    case 'greaterThanEqual':
      return Query.greaterThanEqual(column.key, scalar as string | number);
    case 'lessThan':
      return Query.lessThan(column.key, scalar as string | number);
    case 'lessThanEqual':
      return Query.lessThanEqual(column.key, scalar as string | number);
    case 'contains':
      return Query.contains(column.key, scalar as string);
    case 'startsWith':
      return Query.startsWith(column.key, String(scalar));
    default:
      return Query.endsWith(column.key, String(scalar));
  }
}

const LABELS = new Map([...NULLS, ...EQUALITY, ...RANGE, ...TEXT].map((operator) => [operator.method, operator.label]));

/** How a chip shows a query string: `price > 30`; a string it cannot read is shown as it is. */
export function describeFilter(query: string): string {
  try {
    const parsed = JSON.parse(query) as { method?: string; attribute?: string; values?: unknown[] };
    const label = LABELS.get(parsed.method ?? '') ?? parsed.method;
    const values = (parsed.values ?? []).map((value) => JSON.stringify(value)).join(', ');
    return [parsed.attribute, label, values].filter(Boolean).join(' ');
  } catch {
    return query;
  }
}

/** The filters live in the page's URL (`?filter=<query>`, repeated), so a reload or a shared link keeps them. */
export const FILTER_PARAM = 'filter';

export function filtersIn(search: string): string[] {
  return new URLSearchParams(search).getAll(FILTER_PARAM);
}

export function searchWith(filters: string[]): string {
  const params = new URLSearchParams();
  for (const filter of filters) params.append(FILTER_PARAM, filter);
  const text = params.toString();
  return text ? `?${text}` : '';
}
