import { GEOMETRY_SRID, type Geometry, type Position } from './geometry.js';

/**
 * The standard text and binary forms of a geometry (OGC WKT and WKB), the forms the
 * engines store: a geometry is written as extended WKT, `SRID=4326;POINT(1 2)`, which
 * PostGIS reads into a geometry column and SQLite keeps as text; PostGIS hands it back as
 * hex-encoded extended WKB.
 */

function pointText([x, y]: Position): string {
  // String(n) is the shortest text that reads back as the same double.
  return `${String(x)} ${String(y)}`;
}

export function toWkt(geometry: Geometry): string {
  switch (geometry.type) {
    case 'point':
      return `POINT(${pointText(geometry.coordinates)})`;
    case 'linestring':
      return `LINESTRING(${geometry.coordinates.map(pointText).join(',')})`;
    case 'polygon':
      return `POLYGON(${geometry.coordinates.map((ring) => `(${ring.map(pointText).join(',')})`).join(',')})`;
  }
}

export function toEwkt(geometry: Geometry): string {
  return `SRID=${GEOMETRY_SRID};${toWkt(geometry)}`;
}

const WKT_SHAPE = /^\s*(?:SRID=\d+;)?\s*(POINT|LINESTRING|POLYGON)\s*\((.*)\)\s*$/is;

/** Reads the WKT this module writes (an SRID prefix allowed); undefined for anything else. */
export function fromWkt(text: string): Geometry | undefined {
  const match = WKT_SHAPE.exec(text);
  if (!match) return undefined;
  const name = match[1]!.toUpperCase();
  const body = match[2]!;
  const points = (list: string): Position[] | undefined => {
    const result: Position[] = [];
    for (const part of list.split(',')) {
      const numbers = part.trim().split(/\s+/).map(Number);
      if (numbers.length !== 2 || !numbers.every(Number.isFinite)) return undefined;
      result.push([numbers[0]!, numbers[1]!]);
    }
    return result;
  };
  if (name === 'POINT') {
    const [point, ...rest] = points(body) ?? [];
    return point && rest.length === 0 ? { type: 'point', coordinates: point } : undefined;
  }
  if (name === 'LINESTRING') {
    const line = points(body);
    return line ? { type: 'linestring', coordinates: line } : undefined;
  }
  const rings: Position[][] = [];
  for (const ring of body.split(/\)\s*,\s*\(/)) {
    const parsed = points(ring.replace(/[()]/g, ''));
    if (!parsed) return undefined;
    rings.push(parsed);
  }
  return { type: 'polygon', coordinates: rings };
}

const WKB_SRID_FLAG = 0x20000000;

/** Reads hex (extended) WKB of a point, line or polygon; undefined for anything else. */
export function fromHexWkb(hex: string): Geometry | undefined {
  if (!/^([0-9a-f]{2})+$/i.test(hex)) return undefined;
  const view = new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer);
  let offset = 0;
  const little = view.getUint8(offset) === 1;
  offset += 1;
  const rawType = view.getUint32(offset, little);
  offset += 4;
  if (rawType & WKB_SRID_FLAG) offset += 4;
  const uint = () => {
    const value = view.getUint32(offset, little);
    offset += 4;
    return value;
  };
  const point = (): Position => {
    const x = view.getFloat64(offset, little);
    const y = view.getFloat64(offset + 8, little);
    offset += 16;
    return [x, y];
  };
  const points = () => Array.from({ length: uint() }, point);
  try {
    switch (rawType & 0xffff) {
      case 1:
        return { type: 'point', coordinates: point() };
      case 2:
        return { type: 'linestring', coordinates: points() };
      case 3:
        return { type: 'polygon', coordinates: Array.from({ length: uint() }, points) };
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** A stored geometry, whichever form the engine returns it in. */
export function readStoredGeometry(stored: string): Geometry | undefined {
  return fromWkt(stored) ?? fromHexWkb(stored);
}
