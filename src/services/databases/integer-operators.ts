import { BIGINT_MAX, exactInteger } from './bigint-values.js';

/**
 * Numeric update operators on an integer attribute with whole operands, computed in BigInt
 * so 64-bit values stay exact. A quotient is rounded half away from zero, as MariaDB rounds
 * one stored into Appwrite's BIGINT column; caps follow Appwrite's SQL for each operator
 * (`modulo` has none). The result is then range-checked like any written value.
 */
export function integerOperator(method: string, current: bigint, operand: bigint, bound: bigint | undefined): { value: number | bigint } | { why: string } {
  switch (method) {
    case 'increment':
      return capped(current + operand, bound, 'max');
    case 'decrement':
      return capped(current - operand, bound, 'min');
    case 'multiply':
      return capped(current * operand, bound, 'max');
    case 'divide':
      return operand === 0n ? { why: 'cannot divide by zero' } : capped(roundedQuotient(current, operand), bound, 'min');
    case 'modulo':
      return operand === 0n ? { why: 'cannot divide by zero' } : { value: exactInteger(current % operand) };
    default:
      return power(current, operand, bound);
  }
}

function capped(result: bigint, bound: bigint | undefined, kind: 'min' | 'max'): { value: number | bigint } {
  if (bound !== undefined && (kind === 'max' ? result > bound : result < bound)) return { value: exactInteger(bound) };
  return { value: exactInteger(result) };
}

/** The quotient rounded half away from zero. */
function roundedQuotient(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  const remainder = dividend % divisor;
  const abs = (value: bigint) => (value < 0n ? -value : value);
  if (2n * abs(remainder) < abs(divisor)) return quotient;
  return (dividend < 0n) === (divisor < 0n) ? quotient + 1n : quotient - 1n;
}

/** Past any 64-bit value: the range check then refuses it with the attribute's bounds. */
const TOO_LARGE = BIGINT_MAX * 4n;

/**
 * The power, exact for a whole exponent. With a cap, as Appwrite's SQL: a value at or above
 * the cap becomes the cap, one at or below 1 stays as it is, a larger power stops at the cap.
 */
function power(base: bigint, exponent: bigint, bound: bigint | undefined): { value: number | bigint } | { why: string } {
  if (bound !== undefined) {
    if (base >= bound) return { value: exactInteger(bound) };
    if (base <= 1n) return { value: exactInteger(base) };
  }
  if (exponent < 0n) {
    if (base === 0n) return { why: 'cannot divide by zero' };
    // |base| ≥ 2 gives a fraction below one half, which rounds to 0, except 2^-1 = 0.5.
    if (base === 1n || base === -1n) return { value: exactInteger(exponent % 2n === 0n ? 1n : base) };
    return { value: (base === 2n || base === -2n) && exponent === -1n ? exactInteger(base / 2n) : 0 };
  }
  const magnitude = base < 0n ? -base : base;
  // |base| ≥ 2^(bits-1), so a power past 64 bits is known without computing it.
  const bits = BigInt(magnitude.toString(2).length);
  if (magnitude > 1n && (bits - 1n) * exponent >= 64n) {
    const negative = base < 0n && exponent % 2n === 1n;
    if (bound !== undefined && !negative) return { value: exactInteger(bound) };
    return { value: negative ? -TOO_LARGE : TOO_LARGE };
  }
  return capped(base ** exponent, bound, 'max');
}
