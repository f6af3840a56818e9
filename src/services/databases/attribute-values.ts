import { isIP } from 'node:net';
import { formatDateTime } from '../../core/datetime.js';
import { parseDateTimeInput } from '../../core/datetime-input.js';
import type { StoredAttribute } from '../../data/documents/schema-store.js';
import type { ColumnKind } from '../../data/documents/document-ddl.js';
import { parseExactJson, stringifyExactJson } from '../../core/exact-json.js';
import { checkBigint, exactInteger, toBigInt } from './bigint-values.js';
import { rangeError } from './range-error.js';
import { openString, sealString, type KeyedAttribute } from './encrypted-values.js';
import { checkGeoValue, decodeGeoValue, encodeGeoValue } from './geometry-values.js';
import { isGeometryType } from '../../core/geometry.js';

export const FLOAT_MIN = -Number.MAX_VALUE;
export const FLOAT_MAX = Number.MAX_VALUE;

/** String types with a storage-defined length (MySQL's limits, which Appwrite keeps); all are TEXT columns here. */
export const STRING_SUBTYPES = ['varchar', 'text', 'mediumtext', 'longtext'] as const;
export type StringSubtype = (typeof STRING_SUBTYPES)[number];
export const VARCHAR_MAX = 16_381;
const TEXT_LIMITS: Record<string, number> = { text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 };

export function isStringSubtype(format: string): format is StringSubtype {
  return (STRING_SUBTYPES as readonly string[]).includes(format);
}

/** Characters of a text/mediumtext/longtext value that key and unique indexes cover when no length is given. */
export const TEXT_INDEX_PREFIX = 512;

/** The text types whose values may be too long for a whole-value index entry. */
export function isLongText(attribute: Pick<StoredAttribute, 'type' | 'format'>): boolean {
  return attribute.type === 'string' && Object.hasOwn(TEXT_LIMITS, attribute.format);
}

/** The most characters a plain string value may have: its `size`, or its text type's limit. */
function stringLimit(attribute: StoredAttribute): number | null {
  return attribute.size ?? TEXT_LIMITS[attribute.format] ?? null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** How an attribute's values sit in SQL. */
export function columnKind(attribute: Pick<StoredAttribute, 'type'>): ColumnKind {
  switch (attribute.type) {
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'double':
      return 'float';
    case 'boolean':
      return 'boolean';
    default:
      return 'text';
  }
}

/**
 * Why one (non-array) value does not fit the attribute, or the value as stored (datetimes
 * normalised to the API's format). Returns { error } or { value }.
 */
export function checkScalar(attribute: StoredAttribute, value: unknown): { error: string } | { value: unknown } {
  const key = attribute.key;
  if (isGeometryType(attribute.type)) return checkGeoValue(attribute.type, key, value);
  switch (attribute.type) {
    case 'integer':
    case 'bigint':
      return checkBigint(attribute, value);
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { error: `Attribute "${key}" has invalid type. Value must be a valid float` };
      return inRange(attribute, value, FLOAT_MIN, FLOAT_MAX);
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: `Attribute "${key}" has invalid type. Value must be a valid boolean` };
    case 'datetime': {
      const date = typeof value === 'string' ? parseDateTimeInput(value) : undefined;
      return date ? { value: formatDateTime(date) } : { error: `Attribute "${key}" has invalid format. Value must be valid date between 0000-01-01 and 9999-12-31` };
    }
    default:
      return checkString(attribute, value);
  }
}

function inRange(attribute: StoredAttribute, value: number, floor: number, ceiling: number): { error: string } | { value: unknown } {
  const min = attribute.min ?? floor;
  const max = attribute.max ?? ceiling;
  if (value < min || value > max) return { error: rangeError(attribute.key, min, max) };
  return { value };
}

function checkString(attribute: StoredAttribute, value: unknown): { error: string } | { value: unknown } {
  const key = attribute.key;
  if (typeof value !== 'string') return { error: `Attribute "${key}" has invalid type. Value must be a valid string` };
  switch (attribute.format) {
    case 'email':
      return EMAIL.test(value) && value.length <= 254 ? { value } : { error: `Attribute "${key}" has invalid format. Value must be a valid email address` };
    case 'url':
      return isUrl(value) ? { value } : { error: `Attribute "${key}" has invalid format. Value must be a valid URL` };
    case 'ip':
      return isIP(value) !== 0 ? { value } : { error: `Attribute "${key}" has invalid format. Value must be a valid IP address` };
    case 'enum': {
      const elements = JSON.parse(attribute.elements ?? '[]') as string[];
      return elements.includes(value) ? { value } : { error: `Attribute "${key}" has invalid format. Value must be one of (${elements.join(', ')})` };
    }
    default: {
      const limit = stringLimit(attribute);
      // Code points, not UTF-16 units; the cheap length check skips the spread for short values.
      if (limit !== null && value.length > limit && [...value].length > limit) {
        return { error: `Attribute "${key}" has invalid type. Value must be a valid string and no longer than ${limit} chars` };
      }
      return { value };
    }
  }
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A value in the attribute's column: booleans as 1/0, arrays as JSON text, encrypted strings sealed. */
export function encodeValue(attribute: KeyedAttribute, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (attribute.encrypt === 1) {
    return attribute.array === 1 ? JSON.stringify((value as (string | null)[]).map((v) => (v === null ? null : sealString(attribute, v)))) : sealString(attribute, value as string);
  }
  if (attribute.array === 1) return stringifyExactJson(value);
  if (attribute.type === 'boolean') return value ? 1 : 0;
  if (isGeometryType(attribute.type)) return encodeGeoValue(attribute.type, value);
  return value;
}

/** The API value of a stored column value. */
export function decodeValue(attribute: KeyedAttribute, stored: unknown): unknown {
  if (stored === null || stored === undefined) return null;
  if (attribute.encrypt === 1) {
    return attribute.array === 1 ? (JSON.parse(stored as string) as (string | null)[]).map((v) => (v === null ? null : openString(attribute, v))) : openString(attribute, stored as string);
  }
  if (attribute.array === 1) return typeof stored === 'string' ? parseExactJson(stored) : stored;
  if (isGeometryType(attribute.type)) return decodeGeoValue(stored);
  switch (attribute.type) {
    case 'boolean':
      return stored === 1 || stored === true || stored === '1';
    case 'double':
      return Number(stored);
    case 'integer':
    case 'bigint': {
      const integer = toBigInt(stored);
      return integer === undefined ? Number(stored) : exactInteger(integer);
    }
    default:
      return stored;
  }
}

/** The default as the API shows it, from its JSON in the metadata. */
export function defaultOf(attribute: StoredAttribute): unknown {
  return attribute.default_value === null ? null : parseExactJson(attribute.default_value);
}
