import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rotatedCanvas } from './rotated-canvas.js';

describe('rotatedCanvas', () => {
  it('keeps or swaps the sides for quarter turns', () => {
    assert.deepEqual(rotatedCanvas(300, 100, 0), { width: 300, height: 100 });
    assert.deepEqual(rotatedCanvas(300, 100, 90), { width: 100, height: 300 });
    assert.deepEqual(rotatedCanvas(300, 100, -270), { width: 100, height: 300 });
    assert.deepEqual(rotatedCanvas(300, 100, 180), { width: 300, height: 100 });
    assert.deepEqual(rotatedCanvas(300, 100, 360), { width: 300, height: 100 });
  });

  it('fits other angles as ImageMagick does, one pixel past the rounded exact fit', () => {
    // Appwrite's own expectation: logo.png cropped to 300×100 and turned 45° is 284×284.
    assert.deepEqual(rotatedCanvas(300, 100, 45), { width: 284, height: 284 });
    assert.deepEqual(rotatedCanvas(300, 100, 315), { width: 284, height: 284 });
    assert.deepEqual(rotatedCanvas(100, 100, 45), { width: 144, height: 144 });
    assert.deepEqual(rotatedCanvas(200, 100, 30), { width: 226, height: 188 });
  });
});
