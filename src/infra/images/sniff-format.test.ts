import assert from 'node:assert/strict';
import { it } from 'node:test';
import sharp from 'sharp';
import { sniffPreviewFormat } from './sniff-format.js';

it('recognises every format a preview is written in, and nothing else', async () => {
  const image = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } });
  for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as const) {
    assert.equal(sniffPreviewFormat(await image().toFormat(format).toBuffer()), format);
  }
  assert.equal(sniffPreviewFormat(await image().tiff().toBuffer()), undefined);
  assert.equal(sniffPreviewFormat(Buffer.from('<svg/>')), undefined);
  assert.equal(sniffPreviewFormat(Buffer.alloc(0)), undefined);
});
