import type { ZodType } from 'zod';

/**
 * Reads parameters as Appwrite's validators accept them, for a schema that refused them as
 * sent: an optional parameter sent as `null` is absent (its default applies); a string where
 * a boolean or number is wanted is read as one (`"true"`, `"0"`, `"49"`, `"1.5"`), as form
 * fields always arrive; a JSON string where an object or array is wanted is parsed; `[]`
 * where an object is wanted is `{}` (PHP encodes an empty map so). Only top-level parameters
 * are read again; a value that fits no reading is left as sent, for the schema to name.
 */
export function coerceParams(schema: ZodType, input: Record<string, unknown>): Record<string, unknown> {
  const shape = objectShape(schema);
  if (shape === undefined) return input;
  const output: Record<string, unknown> = { ...input };
  for (const [key, value] of Object.entries(input)) {
    const field = shape[key];
    if (field === undefined) continue;
    if (value === null) {
      if (!accepts(field, null) && accepts(field, undefined)) delete output[key];
      continue;
    }
    if (accepts(field, value)) continue;
    const reading = readings(value).find((candidate) => accepts(field, candidate));
    if (reading !== undefined) output[key] = reading;
  }
  return output;
}

/** The fields of an object schema, also behind a transform, a refinement or `.optional()` (bodies a call may leave out). */
function objectShape(schema: ZodType): Record<string, ZodType> | undefined {
  const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, ZodType>; in?: ZodType; innerType?: ZodType } } })._zod.def;
  if (def.type === 'object') return def.shape;
  if (def.type === 'pipe' && def.in !== undefined) return objectShape(def.in);
  if (def.type === 'optional' && def.innerType !== undefined) return objectShape(def.innerType);
  return undefined;
}

function accepts(field: ZodType, value: unknown): boolean {
  return field.safeParse(value).success;
}

/** Other readings of a value, most specific first. */
function readings(value: unknown): unknown[] {
  if (typeof value === 'string') return readingsOfText(value);
  if (typeof value === 'number') return value === 1 ? [true] : value === 0 ? [false] : [];
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    if (value.length === 0) out.push({});
    if (value.every((item) => typeof item === 'string')) {
      const numbers = value.map(Number);
      if (value.every((item) => item.trim() !== '') && numbers.every(Number.isFinite)) out.push(numbers);
      const booleans = value.map(booleanOf);
      if (booleans.every((item) => item !== undefined)) out.push(booleans);
    }
    return out;
  }
  return [];
}

function readingsOfText(text: string): unknown[] {
  const out: unknown[] = [];
  const flag = booleanOf(text);
  if (flag !== undefined) out.push(flag);
  const trimmed = text.trim();
  // A whole number past 2^53 keeps its digits as a BigInt (bigint columns), as JSON bodies do.
  if (/^-?\d{16,19}$/.test(trimmed) && !Number.isSafeInteger(Number(trimmed))) {
    const integer = BigInt(trimmed);
    if (integer >= -(2n ** 63n) && integer < 2n ** 63n) out.push(integer);
  }
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) out.push(Number(trimmed));
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      out.push(JSON.parse(trimmed));
    } catch {
      // Not JSON: the schema names the value as sent.
    }
  }
  return out;
}

function booleanOf(text: string): boolean | undefined {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}
