import { onFirstUse } from '../../core/load-package.js';

const loadSharp = onFirstUse<typeof import('sharp').default>('sharp');

/** Remote images are decoded for people to look at: refuse decompression bombs early. */
const MAX_INPUT_PIXELS = 50_000_000;

export interface FitOptions {
  /** 0 follows the other side's aspect ratio; both 0 keep the source size. */
  width: number;
  height: number;
}

/**
 * Scales an image to cover the asked box and crops the overflow around the centre, as Appwrite's
 * avatars do, encoded as PNG. Rejects when the bytes are not an image sharp can decode.
 */
export async function fitImageToPng(input: Buffer, options: FitOptions): Promise<Buffer> {
  const { width, height } = options;
  let image = loadSharp()(input, { limitInputPixels: MAX_INPUT_PIXELS, density: 144 }).autoOrient();
  if (width > 0 && height > 0) image = image.resize(width, height, { fit: 'cover', position: 'centre' });
  else if (width > 0 || height > 0) image = image.resize(width || null, height || null);
  return image.png().toBuffer();
}

/** Draws an SVG this server wrote itself (icons, initials, QR codes) to a PNG of its own size. */
export async function renderSvgToPng(svg: string): Promise<Buffer> {
  return loadSharp()(Buffer.from(svg)).png().toBuffer();
}

export type EncodableFormat = 'jpeg' | 'png' | 'webp' | 'heic' | 'avif' | 'gif';

/** Resizes (cover when both sides are given) and encodes; quality -1 keeps the encoder's default. */
export async function encodeImage(input: Buffer, options: FitOptions & { quality: number; format: EncodableFormat }): Promise<Buffer> {
  const { width, height, quality, format } = options;
  let image = loadSharp()(input, { limitInputPixels: MAX_INPUT_PIXELS });
  if (width > 0 && height > 0) image = image.resize(width, height, { fit: 'cover', position: 'centre' });
  else if (width > 0 || height > 0) image = image.resize(width || null, height || null);
  const level = quality >= 0 ? { quality: Math.max(1, quality) } : {};
  if (format === 'heic') return image.heif({ ...level, compression: 'hevc' }).toBuffer();
  return image.toFormat(format, level).toBuffer();
}
