import type { PreviewFormat } from './preview-options.js';

/** The format of an encoded preview from its first bytes; undefined when it is none of ours. */
export function sniffPreviewFormat(body: Buffer): PreviewFormat | undefined {
  if (body.length >= 3 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return 'jpeg';
  if (body.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (body.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (body.subarray(0, 4).toString('latin1') === 'RIFF' && body.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  const brand = body.subarray(4, 12).toString('latin1');
  if (brand === 'ftypavif' || brand === 'ftypavis') return 'avif';
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
