import JSONbig from 'json-bigint';

/**
 * JSON whose integers keep all 64 bits. Bigint attributes hold values past 2^53, which
 * JSON.parse rounds and JSON.stringify refuses; Appwrite and the SDKs carry them as plain
 * JSON numbers. Integers within the safe range stay numbers, larger ones become BigInt.
 */
const parser = JSONbig({ protoAction: 'error', constructorAction: 'error' });

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A number token long enough to lose digits in JSON.parse (16 or more digits). */
const LONG_NUMBER = /\d{16}/;

interface BigNumberLike {
  isInteger(): boolean;
  toFixed(): string;
  toNumber(): number;
}

function isBigNumber(value: unknown): value is BigNumberLike {
  return typeof value === 'object' && value !== null && (value as { _isBigNumber?: unknown })._isBigNumber === true;
}

function exactValue(_key: string, value: unknown): unknown {
  if (!isBigNumber(value)) {
    // The library builds objects without a prototype; give them the one JSON.parse gives.
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === null) Object.setPrototypeOf(value, Object.prototype);
    return value;
  }
  if (!value.isInteger()) return value.toNumber();
  const digits = value.toFixed();
  const integer = BigInt(digits);
  if (integer >= BigInt(Number.MIN_SAFE_INTEGER) && integer <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(integer);
  return integer >= INT64_MIN && integer <= INT64_MAX ? integer : value.toNumber();
}

/** Whether the text may hold a number JSON.parse would round; most texts do not. */
export function holdsLongNumber(text: string): boolean {
  return LONG_NUMBER.test(text);
}

/** JSON.parse, except that integers beyond 2^53 (within 64 bits) come back exact, as BigInt. */
export function parseExactJson(text: string): unknown {
  // The native parser is much faster; it is exact when no number is that long.
  if (!holdsLongNumber(text)) return JSON.parse(text);
  try {
    return parser.parse(text, exactValue);
  } catch (error) {
    // The same SyntaxError JSON.parse would throw, whatever the library says.
    throw error instanceof SyntaxError ? error : new SyntaxError((error as { message?: string }).message ?? 'Invalid JSON');
  }
}

/** JSON.stringify, except that BigInt values are written as plain numbers. */
export function stringifyExactJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    // JSON.stringify refuses BigInt (a TypeError); only then pay for the slower writer.
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
    return JSONbig.stringify(value);
  }
}
