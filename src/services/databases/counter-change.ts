import { AppError } from '../../core/errors.js';
import type { NumberAdjustment } from '../../data/documents/document-counters.js';
import type { StoredAttribute } from '../../data/documents/schema-store.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import { apiError, type ApiNames } from './api-names.js';
import { FLOAT_MAX, FLOAT_MIN } from './attribute-values.js';
import { BIGINT_MAX, bigintBounds, exactInteger } from './bigint-values.js';

export interface CounterRequest {
  up: boolean;
  /** The step as sent; 1 when absent. */
  value: unknown;
  /** The caller's `max` (up) or `min` (down), as sent; none when null or absent. */
  bound: unknown;
  updatedAt: string;
}

/** What to change, and the limit to name when the change would cross it. */
export interface CounterChange {
  adjustment: NumberAdjustment;
  limit: number | bigint;
}

/**
 * Checks an increment or decrement of `attribute` and states it for the store: integer and
 * bigint attributes step exactly in 64 bits, doubles as numbers. The limit is the tighter of
 * the caller's bound and the attribute's own range.
 */
export function counterChange(api: ApiNames, attribute: StoredAttribute, request: CounterRequest): CounterChange {
  const key = attribute.key;
  const integral = attribute.type === 'integer' || attribute.type === 'bigint';
  if ((!integral && attribute.type !== 'double') || attribute.array === 1) {
    throw apiError(api, 'attribute_type_invalid', { params: [key], message: `Attribute "${key}" must be an integer or float` });
  }
  const value = request.value ?? 1;
  const positive = (typeof value === 'number' && Number.isFinite(value) && value > 0) || (typeof value === 'bigint' && value > 0n);
  if (!positive) throw new AppError('general_argument_invalid', 'Invalid `value` param: Value must be a number greater than 0');
  const bound = request.bound ?? undefined;
  if (bound !== undefined && !((typeof bound === 'number' && Number.isFinite(bound)) || typeof bound === 'bigint')) {
    throw new AppError('general_argument_invalid', `Invalid \`${request.up ? 'max' : 'min'}\` param: must be a number`);
  }
  const column = attributeColumnName(attribute.seq);

  if (!integral) {
    const step = Number(value);
    const own = request.up ? (attribute.max ?? FLOAT_MAX) : (attribute.min ?? FLOAT_MIN);
    const limit = bound === undefined ? own : request.up ? Math.min(Number(bound), own) : Math.max(Number(bound), own);
    const adjustment: NumberAdjustment = { column, kind: 'float', delta: request.up ? step : -step, updatedAt: request.updatedAt, ...(request.up ? { max: limit } : { min: limit }) };
    return { adjustment, limit };
  }

  const step = typeof value === 'bigint' ? value : Number.isInteger(value) ? BigInt(value as number) : undefined;
  if (step === undefined || step > BIGINT_MAX) {
    throw apiError(api, 'document_invalid_structure', { message: `Invalid document structure: Attribute "${key}" has invalid type. Value must be a valid integer` });
  }
  const own = ownIntegerLimit(attribute, request.up);
  // The result is whole, so a fractional bound holds as its whole part towards the inside.
  const given = bound === undefined ? undefined : typeof bound === 'bigint' ? bound : BigInt(request.up ? Math.floor(bound as number) : Math.ceil(bound as number));
  const limit = given === undefined ? own : request.up ? (given < own ? given : own) : given > own ? given : own;
  const adjustment: NumberAdjustment = { column, kind: 'integer', delta: request.up ? step : -step, updatedAt: request.updatedAt, ...(request.up ? { max: limit } : { min: limit }) };
  return { adjustment, limit: exactInteger(limit) };
}

function ownIntegerLimit(attribute: StoredAttribute, up: boolean): bigint {
  const { min, max } = bigintBounds(attribute);
  return up ? max : min;
}
