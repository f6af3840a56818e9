import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_PREVIEW_OPTIONS, type PreviewOptions } from './preview-options.js';
import { renderPreview } from './render-preview.js';

const options = (overrides: Partial<PreviewOptions>): PreviewOptions => ({ ...DEFAULT_PREVIEW_OPTIONS, ...overrides });

/** 200×100: left half red, right half blue, as PNG (or another format). */
async function halves(format: 'png' | 'jpeg' | 'tiff' = 'png'): Promise<Buffer> {
  const red = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#ff0000' } }).png().toBuffer();
  return sharp({ create: { width: 200, height: 100, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .toFormat(format)
    .toBuffer();
}

/** 100×100, fully transparent. */
function transparent(): Promise<Buffer> {
  return sharp({ create: { width: 100, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

function near(actual: number[], expected: number[], tolerance = 12): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]!) <= tolerance, `got ${actual} for ${expected}`));
}

describe('renderPreview', () => {
  it('keeps size and format when nothing is asked', async () => {
    const rendered = await renderPreview(await halves(), DEFAULT_PREVIEW_OPTIONS);
    const meta = await sharp(rendered.body).metadata();
    assert.equal(rendered.format, 'png');
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 200, 100]);
  });

  it('writes JPEG for a source format it does not emit', async () => {
    const rendered = await renderPreview(await halves('tiff'), DEFAULT_PREVIEW_OPTIONS);
    assert.equal(rendered.format, 'jpeg');
    assert.equal((await sharp(rendered.body).metadata()).format, 'jpeg');
  });

  it('scales proportionally when one side is given', async () => {
    const byWidth = await sharp((await renderPreview(await halves(), options({ width: 50 }))).body).metadata();
    assert.deepEqual([byWidth.width, byWidth.height], [50, 25]);
    const byHeight = await sharp((await renderPreview(await halves(), options({ height: 300 }))).body).metadata();
    assert.deepEqual([byHeight.width, byHeight.height], [600, 300]);
  });

  it('crops to both sides around the gravity', async () => {
    const left = (await renderPreview(await halves(), options({ width: 50, height: 50, gravity: 'left' }))).body;
    const right = (await renderPreview(await halves(), options({ width: 50, height: 50, gravity: 'bottom-right' }))).body;
    const meta = await sharp(left).metadata();
    assert.deepEqual([meta.width, meta.height], [50, 50]);
    near(await pixel(left, 25, 25), [255, 0, 0, 255]);
    near(await pixel(right, 25, 25), [0, 0, 255, 255]);
  });

  it('encodes every output format', async () => {
    const source = await halves();
    const formats = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'heif', gif: 'gif' } as const;
    for (const [output, sharpFormat] of Object.entries(formats)) {
      const rendered = await renderPreview(source, options({ output: output as PreviewOptions['output'], width: 40 }));
      const meta = await sharp(rendered.body).metadata();
      assert.equal(meta.format, sharpFormat, output);
      assert.equal(meta.width, 40);
      if (output === 'avif') assert.equal(meta.compression, 'av1');
    }
  });

  it('uses quality for lossy formats', async () => {
    const photo = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .png()
      .toBuffer();
    const low = await renderPreview(photo, options({ output: 'jpg', quality: 5 }));
    const high = await renderPreview(photo, options({ output: 'jpg', quality: 95 }));
    assert.ok(low.body.length * 2 < high.body.length, `${low.body.length} vs ${high.body.length}`);
  });

  it('draws a border around the image in its colour', async () => {
    const rendered = await renderPreview(await halves(), options({ borderWidth: 10, borderColor: '00ff00' }));
    const meta = await sharp(rendered.body).metadata();
    assert.deepEqual([meta.width, meta.height], [220, 120]);
    near(await pixel(rendered.body, 2, 2), [0, 255, 0, 255]);
    near(await pixel(rendered.body, 30, 60), [255, 0, 0, 255]);
  });

  it('rounds the corners to transparency', async () => {
    const rendered = await renderPreview(await halves(), options({ borderRadius: 40 }));
    assert.equal((await pixel(rendered.body, 0, 0))[3], 0);
    near(await pixel(rendered.body, 100, 50), [255, 0, 0, 255], 255);
    assert.equal((await pixel(rendered.body, 100, 50))[3], 255);
  });

  it('applies opacity to formats with alpha', async () => {
    const rendered = await renderPreview(await halves(), options({ opacity: 0.5 }));
    const alpha = (await pixel(rendered.body, 10, 10))[3]!;
    assert.ok(Math.abs(alpha - 128) <= 2, `alpha ${alpha}`);
  });

  it('fills transparent pixels with the background colour', async () => {
    const rendered = await renderPreview(await transparent(), options({ background: 'f0c' }));
    near(await pixel(rendered.body, 50, 50), [255, 0, 204, 255], 1);
  });

  it('flattens transparency onto white for JPEG', async () => {
    const rendered = await renderPreview(await transparent(), options({ output: 'jpeg' }));
    near(await pixel(rendered.body, 50, 50), [255, 255, 255, 255], 3);
  });

  it('rotates clockwise, widening the canvas for odd angles', async () => {
    const quarter = await renderPreview(await halves(), options({ rotation: 90 }));
    const meta = await sharp(quarter.body).metadata();
    assert.deepEqual([meta.width, meta.height], [100, 200]);
    // Clockwise: the red left half ends on top.
    near(await pixel(quarter.body, 50, 20), [255, 0, 0, 255]);
    // ImageMagick's fit, as Appwrite's previews have it (see rotatedCanvas): 200×100 turned 45° is 214×214.
    const tilted = await sharp((await renderPreview(await halves(), options({ rotation: -45 }))).body).metadata();
    assert.deepEqual([tilted.width, tilted.height], [214, 214]);
    const full = await sharp((await renderPreview(await halves(), options({ rotation: 360 }))).body).metadata();
    assert.deepEqual([full.width, full.height], [200, 100]);
  });

  it('keeps every frame of an animated GIF written as GIF', async () => {
    const frame = (colour: string) => sharp({ create: { width: 20, height: 20, channels: 3, background: colour } }).png().toBuffer();
    const frames = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map(frame));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    assert.equal((await sharp(gif).metadata()).pages, 3);
    const rendered = await renderPreview(gif, options({ width: 10 }));
    const meta = await sharp(rendered.body, { animated: true }).metadata();
    assert.equal(rendered.format, 'gif');
    assert.equal(meta.pages, 3);
    assert.deepEqual([meta.width, meta.pageHeight], [10, 10]);
    const still = await renderPreview(gif, options({ output: 'png' }));
    assert.equal((await sharp(still.body).metadata()).pages, undefined);
  });

  it('rejects bytes that are not an image', async () => {
    await assert.rejects(renderPreview(Buffer.from('%PDF-1.4 not an image'), DEFAULT_PREVIEW_OPTIONS));
  });
});
