import { checkGeometry, type Geometry, type GeometryType } from '../../core/geometry.js';
import { fromWkt, readStoredGeometry, toEwkt } from '../../core/geometry-text.js';

/**
 * A geo attribute's value: its coordinate array (or WKT text, which Appwrite also takes),
 * checked by Appwrite's rules and kept as the coordinates, a one-ring polygon given
 * without its outer brackets normalised to a list of rings.
 */
export function checkGeoValue(type: GeometryType, key: string, value: unknown): { error: string } | { value: unknown } {
  const given = typeof value === 'string' ? fromWkt(value)?.coordinates : value;
  const checked = checkGeometry(type, given);
  if ('error' in checked) return { error: `Attribute "${key}" has invalid format. ${checked.error}` };
  return { value: checked.value.coordinates };
}

/** Extended WKT, which both engines store (PostGIS reads it into its geometry column). */
export function encodeGeoValue(type: GeometryType, coordinates: unknown): string {
  return toEwkt({ type, coordinates } as Geometry);
}

export function decodeGeoValue(stored: unknown): unknown {
  return typeof stored === 'string' ? (readStoredGeometry(stored)?.coordinates ?? null) : null;
}
