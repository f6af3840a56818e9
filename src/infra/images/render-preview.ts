import type { Sharp } from 'sharp';
import { onFirstUse } from '../../core/load-package.js';
import type { PreviewFormat, PreviewGravity, PreviewOptions } from './preview-options.js';
import { rotatedCanvas, type CanvasSize } from './rotated-canvas.js';

const loadSharp = onFirstUse<typeof import('sharp').default>('sharp');

export interface RenderedPreview {
  body: Buffer;
  format: PreviewFormat;
}

/** Previews are for people to look at: refuse decompression bombs long before memory runs out. */
const MAX_INPUT_PIXELS = 100_000_000;

const SHARP_POSITIONS: Record<PreviewGravity, string> = {
  center: 'centre',
  'top-left': 'northwest',
  top: 'north',
  'top-right': 'northeast',
  left: 'west',
  right: 'east',
  'bottom-left': 'southwest',
  bottom: 'south',
  'bottom-right': 'southeast',
};

const WRITABLE_SOURCES: Record<string, PreviewFormat> = { jpeg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif' };

/**
 * Renders a preview of an image: resize (cropped around `gravity` when both sides are
 * given), then opacity, background, border, rounded corners and rotation, encoded to the
 * requested format. Rejects when the bytes are not an image sharp can read.
 */
export async function renderPreview(input: Buffer, options: PreviewOptions): Promise<RenderedPreview> {
  const metadata = await loadSharp()(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const format = outputFormat(options.output, metadata.format, metadata.compression);
  const animated = format === 'gif' && (metadata.pages ?? 1) > 1;
  // Animated GIFs keep every frame: only the resize and the encoding apply to them.
  if (animated) {
    const frames = loadSharp()(input, { animated: true, limitInputPixels: MAX_INPUT_PIXELS });
    return { body: await encode(resize(frames, options), format, options).toBuffer(), format };
  }

  let image = resize(loadSharp()(input, { limitInputPixels: MAX_INPUT_PIXELS }).autoOrient(), options);
  if (needsEffects(options)) {
    // Each effect is its own pass over RGBA pixels: sharp orders operations inside one pipeline itself.
    image = await nextPass(image.toColourspace('srgb').ensureAlpha());
    if (options.opacity < 1) image = await nextPass(image.linear([1, 1, 1, options.opacity], [0, 0, 0, 0]));
    if (options.background) image = await nextPass(image.flatten({ background: hex(options.background) }).ensureAlpha());
    if (options.borderWidth > 0) image = await nextPass(addBorder(image, options));
    if (options.borderRadius > 0) image = await nextPass(await roundCorners(image, options.borderRadius));
    if (options.rotation % 360 !== 0) image = await rotate(image, options);
  }
  return { body: await encode(image, format, options).toBuffer(), format };
}

function needsEffects(options: PreviewOptions): boolean {
  return (
    options.opacity < 1 ||
    options.background !== '' ||
    options.borderWidth > 0 ||
    options.borderRadius > 0 ||
    options.rotation % 360 !== 0
  );
}

function outputFormat(requested: PreviewOptions['output'], source: string | undefined, compression: string | undefined): PreviewFormat {
  if (requested === 'jpg') return 'jpeg';
  if (requested !== '') return requested;
  if (source === 'heif' && compression === 'av1') return 'avif';
  return WRITABLE_SOURCES[source ?? ''] ?? 'jpeg';
}

function resize(image: Sharp, { width, height, gravity }: PreviewOptions): Sharp {
  if (width === 0 && height === 0) return image;
  if (width > 0 && height > 0) return image.resize(width, height, { fit: 'cover', position: SHARP_POSITIONS[gravity] });
  return image.resize(width || null, height || null);
}

function addBorder(image: Sharp, { borderWidth, borderColor }: PreviewOptions): Sharp {
  const size = borderWidth;
  return image.extend({ top: size, bottom: size, left: size, right: size, background: hex(borderColor || '000') });
}

async function roundCorners(image: Sharp, radius: number): Promise<Sharp> {
  const { width, height } = await image.metadata();
  const r = Math.min(radius, Math.floor(Math.min(width, height) / 2));
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" rx="${r}" ry="${r}"/></svg>`,
  );
  return image.composite([{ input: mask, blend: 'dest-in' }]);
}

/** The corners a rotation uncovers take the background colour, else stay transparent. */
function rotationFill({ background }: PreviewOptions): string | { r: number; g: number; b: number; alpha: number } {
  return background ? hex(background) : { r: 0, g: 0, b: 0, alpha: 0 };
}

/** Turns the image, on the canvas Appwrite's previews get for the angle (see `rotatedCanvas`). */
async function rotate(image: Sharp, options: PreviewOptions): Promise<Sharp> {
  const { width, height } = await image.metadata();
  const fill = rotationFill(options);
  const turned = await nextPass(image.rotate(options.rotation, { background: fill }));
  return fitCanvas(turned, rotatedCanvas(width, height, options.rotation), fill);
}

/** Centres the image on a canvas of the given size: cropped where it is larger, padded with `fill` where smaller. */
async function fitCanvas(image: Sharp, canvas: CanvasSize, fill: ReturnType<typeof rotationFill>): Promise<Sharp> {
  const { width, height } = await image.metadata();
  if (width === canvas.width && height === canvas.height) return image;
  const [cropWidth, cropHeight] = [Math.min(width, canvas.width), Math.min(height, canvas.height)];
  let fitted = image;
  if (cropWidth < width || cropHeight < height) {
    const region = { left: Math.floor((width - cropWidth) / 2), top: Math.floor((height - cropHeight) / 2), width: cropWidth, height: cropHeight };
    fitted = await nextPass(fitted.extract(region));
  }
  const [left, top] = [Math.floor((canvas.width - cropWidth) / 2), Math.floor((canvas.height - cropHeight) / 2)];
  const padding = { left, top, right: canvas.width - cropWidth - left, bottom: canvas.height - cropHeight - top };
  return nextPass(fitted.extend({ ...padding, background: fill }));
}

/** Materialises the pixels so the next operation runs after this one. */
async function nextPass(image: Sharp): Promise<Sharp> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return loadSharp()(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

function encode(image: Sharp, format: PreviewFormat, options: PreviewOptions): Sharp {
  const quality = options.quality >= 0 ? { quality: Math.max(1, options.quality) } : {};
  switch (format) {
    case 'jpeg':
      // JPEG has no alpha: see-through pixels land on the background colour, white by default.
      return image.flatten({ background: hex(options.background || 'fff') }).jpeg({ ...quality, mozjpeg: false });
    case 'png':
      return image.png(options.quality >= 0 ? { compressionLevel: 9 - Math.round(options.quality / 12.5) } : {});
    case 'webp':
      return image.webp(quality);
    case 'avif':
      return image.avif(quality);
    case 'gif':
      return image.gif();
  }
}

function hex(color: string): string {
  return `#${color}`;
}
