import { formatDateTime, parseDateTime } from '../../core/datetime.js';
import type { StoredAttribute } from '../../data/documents/schema-store.js';
import { parseExactJson } from '../../core/exact-json.js';
import { toBigInt } from './bigint-values.js';
import { integerOperator } from './integer-operators.js';

/** An update operator the SDK's `Operator` helpers send as a JSON string in place of a value. */
export interface UpdateOperator {
  method: string;
  values: unknown[];
}

const NUMERIC = new Set(['increment', 'decrement', 'multiply', 'divide', 'modulo', 'power']);
const ARRAY = new Set(['arrayAppend', 'arrayPrepend', 'arrayInsert', 'arrayRemove', 'arrayUnique', 'arrayIntersect', 'arrayDiff', 'arrayFilter']);
const STRING = new Set(['stringConcat', 'stringReplace']);
const DATE = new Set(['dateAddDays', 'dateSubDays', 'dateSetNow']);
const OPERATORS = new Set([...NUMERIC, ...ARRAY, ...STRING, ...DATE, 'toggle']);
const DAY_MS = 86_400_000;

/**
 * Splits data into plain values and operators. As in Appwrite, a string value of a
 * non-`$` key that decodes to `{ method }` with a known operator name is an operator.
 */
export function splitOperators(data: Readonly<Record<string, unknown>>): { plain: Record<string, unknown>; operators: Map<string, UpdateOperator> } {
  const plain: Record<string, unknown> = {};
  const operators = new Map<string, UpdateOperator>();
  for (const [key, value] of Object.entries(data)) {
    const operator = key.startsWith('$') ? undefined : decodeOperator(value);
    if (operator) operators.set(key, operator);
    else plain[key] = value;
  }
  return { plain, operators };
}

function decodeOperator(value: unknown): UpdateOperator | undefined {
  if (typeof value !== 'string' || !value.startsWith('{')) return undefined;
  try {
    // Exact integers: an operand past 2^53 keeps its digits.
    const parsed = parseExactJson(value) as { method?: unknown; values?: unknown };
    if (typeof parsed.method !== 'string' || !OPERATORS.has(parsed.method)) return undefined;
    return { method: parsed.method, values: Array.isArray(parsed.values) ? parsed.values : [] };
  } catch {
    return undefined;
  }
}

/**
 * The attribute's next API value: the operator applied to its current value. Returns
 * { error } when the operator does not fit the attribute or its arguments; the result
 * is then checked like any written value (type, range, size).
 */
export function applyOperator(attribute: StoredAttribute, operator: UpdateOperator, current: unknown, now: Date): { error: string } | { value: unknown } {
  const key = attribute.key;
  const args = operator.values;
  const fail = (why: string) => ({ error: `Operator "${operator.method}" on attribute "${key}": ${why}` });
  const isArray = attribute.array === 1;
  if (NUMERIC.has(operator.method)) {
    if (isArray || (attribute.type !== 'integer' && attribute.type !== 'double')) return fail('the attribute must be an integer or float');
    const [operand, bound] = args;
    if (!isFiniteNumber(operand)) return fail('the value must be a finite number');
    if (bound !== undefined && bound !== null && !isFiniteNumber(bound)) return fail('the limit must be a finite number');
    const limit = bound ?? undefined;
    if (attribute.type === 'integer' && isWhole(operand) && (limit === undefined || isWhole(limit))) {
      const result = integerOperator(operator.method, toBigInt(current) ?? 0n, BigInt(operand), limit === undefined ? undefined : BigInt(limit));
      return 'why' in result ? fail(result.why) : result;
    }
    const result = numeric(operator.method, Number(current ?? 0), Number(operand), limit === undefined ? undefined : Number(limit), fail);
    // An integer attribute keeps a whole value: a fractional result rounds half away from zero, as MariaDB stores it.
    if (attribute.type === 'integer' && 'value' in result) return { value: Math.sign(result.value) * Math.round(Math.abs(result.value)) };
    return result;
  }
  if (ARRAY.has(operator.method)) {
    if (!isArray) return fail('the attribute must be an array');
    const next = arrayResult(operator.method, Array.isArray(current) ? current : [], args);
    return next ? { value: next } : fail('invalid arguments');
  }
  if (STRING.has(operator.method)) {
    if (isArray || attribute.type !== 'string') return fail('the attribute must be a string');
    const base = typeof current === 'string' ? current : '';
    if (operator.method === 'stringConcat') return typeof args[0] === 'string' ? { value: base + args[0] } : fail('the value must be a string');
    const [search, replace] = args;
    if (typeof search !== 'string' || typeof replace !== 'string' || search === '') return fail('search and replacement must be strings');
    return { value: base.split(search).join(replace) };
  }
  if (operator.method === 'toggle') {
    if (isArray || attribute.type !== 'boolean') return fail('the attribute must be a boolean');
    return { value: current !== true };
  }
  if (isArray || attribute.type !== 'datetime') return fail('the attribute must be a datetime');
  if (operator.method === 'dateSetNow') return { value: formatDateTime(now) };
  const days = args[0];
  if (typeof days !== 'number' || !Number.isInteger(days)) return fail('the number of days must be an integer');
  const base = typeof current === 'string' ? parseDateTime(current) : undefined;
  if (!base) return fail('the attribute holds no date');
  const sign = operator.method === 'dateAddDays' ? 1 : -1;
  return { value: formatDateTime(new Date(base.getTime() + sign * days * DAY_MS)) };
}

function isFiniteNumber(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value));
}

function isWhole(value: number | bigint): boolean {
  return typeof value === 'bigint' || Number.isInteger(value);
}

/** Arithmetic in doubles with an optional cap: results past the limit stop at it (`modulo` has none, as in Appwrite). */
function numeric(method: string, current: number, operand: number, bound: number | undefined, fail: (why: string) => { error: string }): { error: string } | { value: number } {
  let result: number;
  switch (method) {
    case 'increment':
      result = current + operand;
      break;
    case 'decrement':
      result = current - operand;
      break;
    case 'multiply':
      result = current * operand;
      break;
    case 'divide':
      if (operand === 0) return fail('cannot divide by zero');
      result = current / operand;
      break;
    case 'modulo':
      if (operand === 0) return fail('cannot divide by zero');
      result = current % operand;
      break;
    default:
      result = current ** operand;
  }
  if (bound !== undefined && method !== 'modulo') {
    const lowers = method === 'decrement' || method === 'divide';
    result = lowers ? Math.max(result, bound) : Math.min(result, bound);
  }
  return Number.isFinite(result) ? { value: result } : fail('the result is not a finite number');
}

/** The array after the operator; undefined when the arguments do not fit. */
function arrayResult(method: string, current: readonly unknown[], args: readonly unknown[]): unknown[] | undefined {
  const includes = (list: readonly unknown[], value: unknown) => list.some((item) => item === value);
  switch (method) {
    case 'arrayAppend':
      return [...current, ...args];
    case 'arrayPrepend':
      return [...args, ...current];
    case 'arrayInsert': {
      const [index, value] = args;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > current.length) return undefined;
      return [...current.slice(0, index), value, ...current.slice(index)];
    }
    case 'arrayRemove':
      return current.filter((item) => item !== args[0]);
    case 'arrayUnique':
      return current.filter((item, index) => current.indexOf(item) === index);
    case 'arrayIntersect':
      return current.filter((item) => includes(args, item));
    case 'arrayDiff':
      return current.filter((item) => !includes(args, item));
    default:
      return filterArray(current, args[0], args[1]);
  }
}

function filterArray(current: readonly unknown[], condition: unknown, operand: unknown): unknown[] | undefined {
  const compare = (item: unknown): boolean | undefined => {
    switch (condition) {
      case 'equal':
        return item === operand;
      case 'notEqual':
        return item !== operand;
      case 'greaterThan':
        return (item as number) > (operand as number);
      case 'greaterThanEqual':
        return (item as number) >= (operand as number);
      case 'lessThan':
        return (item as number) < (operand as number);
      case 'lessThanEqual':
        return (item as number) <= (operand as number);
      case 'contains':
        return typeof item === 'string' && typeof operand === 'string' && item.includes(operand);
      case 'isNull':
        return item === null;
      case 'isNotNull':
        return item !== null;
      default:
        return undefined;
    }
  };
  if (compare(null) === undefined) return undefined;
  return current.filter((item) => compare(item) === true);
}
