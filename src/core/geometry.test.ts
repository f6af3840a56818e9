import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkGeometry, queryGeometry, sphereDistanceMeters, type Geometry } from './geometry.js';
import { fromHexWkb, fromWkt, readStoredGeometry, toEwkt } from './geometry-text.js';

const ring = [[0, 0], [1, 0], [1, 1], [0, 0]];

describe('geometry values', () => {
  test('Appwrite’s rules: pairs in range, lines of two points or more, closed rings of four or more', () => {
    assert.deepEqual(checkGeometry('point', [1, '2']), { value: { type: 'point', coordinates: [1, 2] } });
    assert.deepEqual(checkGeometry('polygon', ring), { value: { type: 'polygon', coordinates: [ring] } }, 'one ring without its brackets');
    const errors: [Parameters<typeof checkGeometry>, string][] = [
      [['point', [181, 0]], 'Value must be a valid point: Longitude (x) must be between -180 and 180, got 181'],
      [['point', [0, 90.5]], 'Value must be a valid point: Latitude (y) must be between -90 and 90, got 90.5'],
      [['point', [1, 2, 3]], 'Value must be a valid point: Point must be an array of two numeric values [x, y]'],
      [['linestring', [[0, 0]]], 'Value must be a valid linestring: LineString must contain at least two points'],
      [['polygon', [[[0, 0], [1, 0], [1, 1], [0, 1]]]], 'Value must be a valid polygon: Ring #0 must be closed (first point must equal last point)'],
      [['polygon', [[[0, 0], [1, 0], [0, 0]]]], 'Value must be a valid polygon: Ring #0 must contain at least 4 points to form a closed polygon'],
      [['polygon', 'POLYGON'], 'Value must be a valid polygon: Spatial value must be an array'],
    ];
    for (const [args, error] of errors) assert.deepEqual(checkGeometry(...args), { error });
  });

  test('a query geometry’s type follows how deeply its coordinates nest', () => {
    const types = [[1, 2], [[1, 2], [3, 4]], [ring]].map((value) => (queryGeometry(value) as { value: Geometry }).value.type);
    assert.deepEqual(types, ['point', 'linestring', 'polygon']);
    assert.ok('error' in queryGeometry([]));
  });

  test('extended WKT and hex WKB read back to the same coordinates', () => {
    const shapes: Geometry[] = [
      { type: 'point', coordinates: [-179.999999, 89.123456789] },
      { type: 'linestring', coordinates: [[0.1, 0.2], [1e-7, -3]] },
      { type: 'polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]] },
    ];
    for (const shape of shapes) assert.deepEqual(readStoredGeometry(toEwkt(shape)), shape);
    assert.equal(toEwkt(shapes[0]!), 'SRID=4326;POINT(-179.999999 89.123456789)');
    // As PostGIS returns SRID=4326;POINT(1 2): little-endian, SRID flag, then x and y.
    assert.deepEqual(fromHexWkb('0101000020E6100000000000000000F03F0000000000000040'), { type: 'point', coordinates: [1, 2] });
    assert.equal(fromWkt('MULTIPOINT((1 2))'), undefined);
    assert.equal(fromHexWkb('zz'), undefined);
  });

  test('meters between points are measured on Appwrite’s sphere', () => {
    // One degree of latitude on a 6,371,000 m sphere, as PostGIS's ST_DistanceSphere answers it too.
    assert.equal(Math.round(sphereDistanceMeters([0, 0], [0, 1]) * 100) / 100, 111194.93);
    assert.equal(sphereDistanceMeters([12, 34], [12, 34]), 0);
  });
});
