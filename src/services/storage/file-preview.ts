import { createHash } from 'node:crypto';
import { buffer as collect } from 'node:stream/consumers';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { FileNotStoredError, type FileStore } from '../../infra/files/file-store.js';
import { renderFileIcon } from '../../infra/images/file-icon.js';
import {
  PREVIEW_CONTENT_TYPES,
  PREVIEW_GRAVITIES,
  PREVIEW_OUTPUTS,
  type PreviewOptions,
} from '../../infra/images/preview-options.js';
import { renderPreview } from '../../infra/images/render-preview.js';
import { sniffPreviewFormat } from '../../infra/images/sniff-format.js';

const hexColor = z
  .string()
  .regex(/^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})?$/, { error: 'Value must be a valid hex color code' })
  .default('');
/** `?opacity=` as a hand-written URL may carry means the default, not zero. */
const blankAsDefault = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const integer = (min: number, max: number, fallback: number) =>
  blankAsDefault(
    z.coerce
      .number({ error: `Value must be a valid integer between ${min} and ${max}` })
      .int({ error: `Value must be a valid integer between ${min} and ${max}` })
      .min(min, { error: `Value must be a valid range between ${min} and ${max}` })
      .max(max, { error: `Value must be a valid range between ${min} and ${max}` })
      .default(fallback),
  );

/** Every query parameter of `getFilePreview`; query strings are coerced, out-of-range values refused. */
export const previewQuery = z.object({
  width: integer(0, 4000, 0),
  height: integer(0, 4000, 0),
  gravity: z.enum(PREVIEW_GRAVITIES).default('center'),
  quality: integer(-1, 100, -1),
  borderWidth: integer(0, 100, 0),
  borderColor: hexColor,
  borderRadius: integer(0, 4000, 0),
  opacity: blankAsDefault(
    z.coerce
      .number({ error: 'Value must be a valid range between 0 and 1' })
      .min(0, { error: 'Value must be a valid range between 0 and 1' })
      .max(1, { error: 'Value must be a valid range between 0 and 1' })
      .default(1),
  ),
  rotation: integer(-360, 360, 0),
  background: hexColor,
  output: z.enum([...PREVIEW_OUTPUTS, '']).default(''),
  /** A file token granting access without a session; not part of the rendering. */
  token: z.string().max(512).optional(),
});

export type PreviewQuery = z.infer<typeof previewQuery>;

/** Larger originals get the file-type icon, as rendering them would cost too much per request. */
export const PREVIEW_SOURCE_LIMIT = 10 * 1024 * 1024;

/** Bump when rendering changes, so renderings cached by an older version are not served. */
const RENDERER_VERSION = 2;

/** The background Appwrite gives the icon of a file it cannot preview, when none is asked for. */
const ICON_BACKGROUND = 'eceff1';

/** Types sharp decodes; anything else (SVG included: it is active content) gets the icon. */
const PREVIEWABLE_TYPES = new Set([
  'image/jpeg',
  'image/pjpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/heif',
  'image/tiff',
]);

export interface PreviewInput {
  files: FileStore;
  /** Where this file's renderings are kept: one entry per distinct set of options below it. */
  cachePath: string;
  mimeType: string;
  readOriginal: () => Promise<Buffer>;
  options: PreviewQuery;
  /** The file name, whose extension labels the icon of a non-image. */
  name?: string;
  /** The original's size: over `PREVIEW_SOURCE_LIMIT` it is never read. */
  size?: number;
  /** Wraps cached renderings at rest (an encrypted bucket's previews must not be stored in clear). */
  cacheCodec?: { seal(plain: Buffer): Buffer | Promise<Buffer>; open(stored: Buffer): Buffer | Promise<Buffer> };
}

export interface Preview {
  body: Buffer;
  contentType: string;
}

/** The preview of a stored file: from the cache when rendered before, else rendered and cached. */
export async function previewFile(input: PreviewInput): Promise<Preview> {
  const options = renderingOptions(input.options);
  const cachePath = `${input.cachePath.replace(/\/+$/, '')}/${cacheKey(options)}`;
  const cached = await readCached(input, cachePath);
  if (cached) return cached;

  const body = await render(input, options);
  const format = sniffPreviewFormat(body) ?? 'png';
  try {
    const stored = input.cacheCodec ? await input.cacheCodec.seal(body) : body;
    await input.files.write(cachePath, Readable.from([stored]));
  } catch {
    // A cache that cannot be written only costs the next request a render.
  }
  return { body, contentType: PREVIEW_CONTENT_TYPES[format] };
}

async function render(input: PreviewInput, options: PreviewOptions): Promise<Buffer> {
  const mimeType = input.mimeType.split(';')[0]!.trim().toLowerCase();
  const small = input.size === undefined || input.size <= PREVIEW_SOURCE_LIMIT;
  if (PREVIEWABLE_TYPES.has(mimeType) && small) {
    const original = await input.readOriginal();
    if (original.length <= PREVIEW_SOURCE_LIMIT) {
      try {
        return (await renderPreview(original, options)).body;
      } catch {
        // Not decodable after all (truncated, mislabelled): fall back to the icon.
      }
    }
  }
  const icon = await renderFileIcon(extensionOf(input.name, mimeType), options.width, options.height);
  // The icon goes through the same effects; its own format is PNG unless another is asked for.
  // As in Appwrite, it sits on a light grey unless the request names a background.
  return (await renderPreview(icon, { ...options, background: options.background || ICON_BACKGROUND })).body;
}

async function readCached(input: PreviewInput, path: string): Promise<Preview | undefined> {
  let stored: Buffer;
  try {
    stored = await collect(await input.files.read(path));
  } catch (error) {
    if (error instanceof FileNotStoredError) return undefined;
    throw error;
  }
  try {
    const body = input.cacheCodec ? await input.cacheCodec.open(stored) : stored;
    const format = sniffPreviewFormat(body);
    // Anything unrecognisable (a torn write) is rendered again and overwritten.
    return format ? { body, contentType: PREVIEW_CONTENT_TYPES[format] } : undefined;
  } catch {
    return undefined;
  }
}

function renderingOptions(query: PreviewQuery): PreviewOptions {
  return {
    width: query.width,
    height: query.height,
    gravity: query.gravity,
    quality: query.quality,
    borderWidth: query.borderWidth,
    borderColor: query.borderColor.toLowerCase(),
    borderRadius: query.borderRadius,
    opacity: query.opacity,
    rotation: query.rotation,
    background: query.background.toLowerCase(),
    output: query.output === 'jpg' ? 'jpeg' : query.output,
  };
}

function cacheKey(options: PreviewOptions): string {
  const fields = [RENDERER_VERSION, ...Object.entries(options).sort(([a], [b]) => a.localeCompare(b))];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32);
}

const MIME_EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/json': 'json',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'text/plain': 'txt',
  'image/svg+xml': 'svg',
};

function extensionOf(name: string | undefined, mimeType: string): string {
  const dot = name?.lastIndexOf('.') ?? -1;
  if (name && dot > 0 && dot < name.length - 1) return name.slice(dot + 1);
  return MIME_EXTENSIONS[mimeType] ?? mimeType.split('/')[1]?.split(/[+.-]/)[0] ?? '';
}
