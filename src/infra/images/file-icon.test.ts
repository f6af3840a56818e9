import assert from 'node:assert/strict';
import { it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_ICON_SIZE, renderFileIcon } from './file-icon.js';

it('draws a square PNG icon of the default size when no size is asked', async () => {
  const meta = await sharp(await renderFileIcon('pdf', 0, 0)).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['png', DEFAULT_ICON_SIZE, DEFAULT_ICON_SIZE, true]);
});

it('fills the requested size, square when one side is given', async () => {
  const both = await sharp(await renderFileIcon('docx', 64, 32)).metadata();
  assert.deepEqual([both.width, both.height], [64, 32]);
  const one = await sharp(await renderFileIcon('zip', 0, 80)).metadata();
  assert.deepEqual([one.width, one.height], [80, 80]);
});

it('labels the page with the extension, and survives hostile or empty extensions', async () => {
  const labelled = await sharp(await renderFileIcon('pdf', 200, 200)).stats();
  const blank = await sharp(await renderFileIcon('', 200, 200)).stats();
  // The coloured band with the label makes the labelled icon less uniformly grey.
  assert.ok(labelled.channels[0]!.stdev !== blank.channels[0]!.stdev);
  await sharp(await renderFileIcon('</text><script>', 50, 50)).metadata();
});
