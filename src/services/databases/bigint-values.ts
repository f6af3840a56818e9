import type { StoredAttribute } from '../../data/documents/schema-store.js';
import { rangeError } from './range-error.js';

/**
 * Bigint attributes hold signed 64-bit integers. Values travel as plain JSON numbers (see
 * core/exact-json): a number when it is exact as one, a BigInt past 2^53.
 */
export const BIGINT_MIN = -(2n ** 63n);
export const BIGINT_MAX = 2n ** 63n - 1n;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The value as the API carries it: a number when exact, otherwise a BigInt. */
export function exactInteger(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** An integer given as a number or BigInt (or a stored decimal string), as BigInt; undefined when it is none. */
export function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return undefined;
}

/**
 * The bounds of an integer or bigint attribute. Both are 64-bit, as in Appwrite; bounds are
 * kept as decimal text. Integer attributes made when they were limited to 2^53 hold their
 * bounds in the numeric min/max, which still apply.
 */
export function bigintBounds(attribute: Pick<StoredAttribute, 'bigint_min' | 'bigint_max' | 'min' | 'max'>): { min: bigint; max: bigint } {
  return {
    min: attribute.bigint_min !== null ? BigInt(attribute.bigint_min) : attribute.min !== null ? BigInt(Math.ceil(attribute.min)) : BIGINT_MIN,
    max: attribute.bigint_max !== null ? BigInt(attribute.bigint_max) : attribute.max !== null ? BigInt(Math.floor(attribute.max)) : BIGINT_MAX,
  };
}

/**
 * Why a value does not fit the attribute, or the value as the API carries it. A bigint
 * attribute also takes its digits as a string (`"-42"`), as Appwrite's does; an integer
 * attribute takes numbers only.
 */
export function checkBigint(attribute: StoredAttribute, value: unknown): { error: string } | { value: unknown } {
  const integer = toBigInt(typeof value === 'string' && attribute.type !== 'bigint' ? undefined : value);
  if (integer === undefined) return { error: `Attribute "${attribute.key}" has invalid type. Value must be a valid integer` };
  const { min, max } = bigintBounds(attribute);
  if (integer < min || integer > max) return { error: rangeError(attribute.key, min, max) };
  return { value: exactInteger(integer) };
}

/** What the attribute model shows of an integer or bigint attribute. */
export function bigintModelFields(attribute: StoredAttribute): { min: number | bigint; max: number | bigint } {
  const { min, max } = bigintBounds(attribute);
  return { min: exactInteger(min), max: exactInteger(max) };
}
